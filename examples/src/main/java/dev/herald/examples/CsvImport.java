package dev.herald.examples;

import dev.herald.client.Herald;
import dev.herald.client.JobCancelledException;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A CSV import in two weighted stages (parsing 30, loading 70) that stops when someone cancels it.
 * Run: {@code java -cp ... dev.herald.examples.CsvImport [URL TOKEN]}.
 */
public final class CsvImport {
    static final int ROWS = 5_000;

    private CsvImport() {
    }

    /** Loads one row somewhere (a database, say), with the job at hand to log what it skips. */
    interface RowLoader {
        void load(Reporter job, String[] row);
    }

    public static void main(String[] args) throws IOException {
        try (Herald herald = Connect.herald(args)) {
            importCsv(herald, customersCsv(), CsvImport::load);
        }
    }

    /** Imports {@code csv} as a new job; returns once it is complete, or at the first row after a cancel. */
    static void importCsv(Herald herald, String csv, RowLoader loader) throws IOException {
        try (Reporter job = herald.start(JobSpec.of("import-csv").name("Import customers.csv")
                .stage("parsing", 30).stage("loading", 70).unit("rows"))) {
            System.out.println("importing as job " + job.jobId());
            try {
                List<String[]> rows = parse(job, csv);
                job.stage("loading").progress(0, rows.size()).message("Loading rows");
                for (String[] row : rows) {
                    loader.load(job, row);
                    job.increment();
                    job.throwIfCancelled();    // cancelled on the dashboard or with 'herald jobs cancel'
                }
                job.complete(Map.of("rows", rows.size()));
                System.out.println("imported " + rows.size() + " rows");
            } catch (JobCancelledException e) {
                System.out.println("the import was cancelled; nothing more is loaded");
            }
        }
    }

    private static List<String[]> parse(Reporter job, String csv) throws IOException {
        long lines = csv.lines().count() - 1;
        job.stage("parsing").progress(0, lines).message("Parsing customers.csv");
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new StringReader(csv))) {
            in.readLine(); // the header
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                rows.add(line.split(","));
                job.increment();
                job.throwIfCancelled();
            }
        }
        return rows;
    }

    /** Stands for a database insert: a little work per row; a row without three fields is skipped. */
    private static void load(Reporter job, String[] row) {
        if (row.length != 3) {
            job.warn("skipped a bad row: " + String.join(",", row));
            return;
        }
        Thread.onSpinWait();
    }

    static String customersCsv() {
        StringBuilder csv = new StringBuilder("id,email,country\n");
        for (int i = 1; i <= ROWS; i++) {
            csv.append(i).append(",customer").append(i).append("@example.com,").append(i % 2 == 0 ? "FR" : "DE")
                    .append('\n');
        }
        return csv.toString();
    }
}
