package dev.herald.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's configuration table says what {@code herald serve} does: a row for every option, and in each
 * row the option's variable and its default as the options classes define it.
 */
class ReadmeConfigurationTest {
    private static final Path README = Path.of("..", "README.md");
    private static final String NONE = "none";

    /** One row of the table: the cells as written, without backticks. */
    record Row(String option, String variable, String byDefault) {
    }

    @Test
    void theTableHasARowForEveryOptionOfServeWithItsVariableAndDefault() throws IOException {
        Map<String, Row> rows = table();
        Map<String, Row> expected = new LinkedHashMap<>();
        for (OptionSpec o : serveOptions()) {
            String name = o.longestName();
            String value = CliDefaults.text(o.initialValue());
            expected.put(name, new Row(name, CliDefaults.envName(name), value == null ? NONE : value));
        }
        assertThat(rows.keySet()).as("options in the README table").containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Row row : rows.values()) {
            assertThat(row).as("the README row of %s", row.option()).isEqualTo(expected.get(row.option()));
        }
    }

    /** Every option of {@code herald serve} that is a setting (not --help or --version). */
    private static List<OptionSpec> serveOptions() {
        CommandLine root = HeraldCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<OptionSpec> options = new ArrayList<>();
        for (OptionSpec o : root.getSubcommands().get("serve").getCommandSpec().options()) {
            if (!o.usageHelp() && !o.versionHelp()) {
                options.add(o);
            }
        }
        return options;
    }

    /** The rows of the table under "## Configuration", by option. */
    private static Map<String, Row> table() throws IOException {
        List<String> lines = Files.readAllLines(README);
        int at = lines.indexOf("## Configuration");
        assertThat(at).as("README has a Configuration section").isNotNegative();
        while (at < lines.size() && !lines.get(at).startsWith("|")) {
            at++;
        }
        assertThat(lines.get(at).replace(" ", "")).as("the table's header").isEqualTo("|option|variable|default|whatitdoes|");
        Map<String, Row> rows = new LinkedHashMap<>();
        for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            assertThat(cells).as("cells of %s", lines.get(i)).hasSizeGreaterThanOrEqualTo(5);
            Row row = new Row(code(cells[1]), code(cells[2]), code(cells[3]));
            assertThat(rows.put(row.option(), row)).as("a second row for %s", row.option()).isNull();
        }
        return rows;
    }

    private static String code(String cell) {
        return cell.trim().replace("`", "");
    }
}
