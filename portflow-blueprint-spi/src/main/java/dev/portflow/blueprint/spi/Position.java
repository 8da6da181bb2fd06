package dev.portflow.blueprint.spi;

/**
 * Where something is in a blueprint file: 1-based line and column, as editors count them.
 *
 * @param line   line, from 1
 * @param column column, from 1
 */
public record Position(int line, int column) implements Comparable<Position> {

    /** The start of the file, for problems that belong to no element. */
    public static final Position START = new Position(1, 1);

    public Position {
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column start at 1, was " + line + ":" + column);
        }
    }

    /** This position moved {@code columns} to the right on the same line. */
    public Position plusColumns(int columns) {
        return new Position(line, column + columns);
    }

    @Override
    public int compareTo(Position other) {
        int byLine = Integer.compare(line, other.line);
        return byLine != 0 ? byLine : Integer.compare(column, other.column);
    }

    /** {@code line:column}. */
    @Override
    public String toString() {
        return line + ":" + column;
    }
}
