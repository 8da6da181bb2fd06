package dev.portflow.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailureReasonTest {

    @TempDir
    Path dir;

    @Test
    void theInnermostFileProblemNamesTheFile() {
        SQLException h2 = new SQLException(
                "IO Exception: \"java.nio.file.AccessDeniedException: /srv/db.mv.db\"; \"/srv/db.mv.db\" [90028-252]",
                new IllegalStateException(
                        "Could not open file /srv/db.mv.db [2.5.252/1]", new AccessDeniedException("/srv/db.mv.db")));
        assertThat(FailureReason.of(h2)).isEqualTo("/srv/db.mv.db: permission denied");
        assertThat(FailureReason.of(new NoSuchFileException("/nowhere/x")))
                .isEqualTo("/nowhere/x: no such file or directory");
    }

    @Test
    void aFileWhereADirectoryShouldBeIsNamed() throws Exception {
        Path aFile = Files.writeString(dir.resolve("x.txt"), "");
        assertThat(FailureReason.of(new NoSuchFileException(aFile.resolve("a/b").toString())))
                .isEqualTo(aFile + " is a file, not a directory");
    }

    @Test
    void otherwiseTheDistinctMessagesOfTheChainOnOneLine() {
        Exception chain = new SQLException(
                "Connection to db:5432 refused.\nCheck the host.",
                new IOException("Connection refused", new IOException("Connection refused")));
        assertThat(FailureReason.of(chain)).isEqualTo("Connection to db:5432 refused.: Connection refused");
        assertThat(FailureReason.of(new IOException())).isEqualTo("IOException");
        assertThat(FailureReason.of(new IOException("x".repeat(1000))))
                .hasSize(FailureReason.MAX_LENGTH)
                .doesNotContain("\n");
    }
}
