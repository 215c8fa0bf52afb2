package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.json.JobJson;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressLineTest {

    private static JsonNode json(String text) throws Exception {
        return JobJson.mapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void rendersTheLineOfTheApiExample() throws Exception {
        JsonNode job = json("{'status':'running','progress':{'stage':'loading','stageIndex':1,'current':400,'total':1000,"
                + "'unit':'rows','percent':45.0,'message':'Loading rows'},'eta':{'remainingMs':41000,'basis':'rate'}}");
        assertThat(ProgressLine.render(job, 200))
                .isEqualTo("[#########-----------]  45.0%  loading 400/1000 rows  Loading rows  ETA 41s");
        assertThat(ProgressLine.childrenLine(job)).isNull();
    }

    @Test
    void theEstimatesRangeAndTheStalledAndOverdueMarkers() throws Exception {
        JsonNode job = json("{'status':'running','stalled':true,'overdue':true,'progress':{'percent':41},"
                + "'eta':{'remainingMs':185000,'low':120000,'high':300000,'basis':'blend','sampleSize':12}}");
        assertThat(ProgressLine.render(job, 200))
                .isEqualTo("[########------------]  41.0%  STALLED  overdue  ETA 3m05s (2m00s-5m00s)");
        JsonNode narrow = json("{'status':'running','progress':{'percent':41},"
                + "'eta':{'remainingMs':41000,'low':40500,'high':41000,'basis':'rate','sampleSize':0}}");
        assertThat(ProgressLine.render(narrow, 200)).as("a range within the same second says nothing more")
                .endsWith("ETA 41s");
    }

    @Test
    void showsTheStatusWhenNotRunningAndNoEtaThen() throws Exception {
        JsonNode queued = json("{'status':'queued','progress':{'percent':0},'eta':{'remainingMs':5000}}");
        assertThat(ProgressLine.render(queued, 200)).isEqualTo("[--------------------]   0.0%  queued");
        JsonNode done = json("{'status':'completed','progress':{'percent':99.5,'current':10,'total':10}}");
        assertThat(ProgressLine.render(done, 200)).isEqualTo("[####################] 100.0%  completed  10/10");
    }

    @Test
    void percentOnlyJobsAndDecimalCounts() throws Exception {
        JsonNode crawl = json("{'status':'running','progress':{'percent':12.34,'message':'Fetched 42 pages'},'eta':null}");
        assertThat(ProgressLine.render(crawl, 200)).isEqualTo("[##------------------]  12.3%  Fetched 42 pages");
        JsonNode bytes = json("{'status':'running','progress':{'percent':50,'current':1.5,'total':3.0,'unit':'GB'}}");
        assertThat(ProgressLine.render(bytes, 200)).isEqualTo("[##########----------]  50.0%  1.5/3 GB");
    }

    @Test
    void aLongMessageIsShortenedToTheWidthKeepingTheEta() throws Exception {
        JsonNode job = json("{'status':'running','progress':{'percent':10,'message':'" + "x".repeat(300)
                + "'},'eta':{'remainingMs':3723000}}");
        String line = ProgressLine.render(job, 80);
        assertThat(line).hasSize(80).endsWith("...  ETA 1h02m");
    }

    @Test
    void theChildrenLineUsesTheServersText() throws Exception {
        JsonNode parent = json("{'status':'running','progress':{'percent':38.9},'children':{'total':108,'pending':66,"
                + "'running':1,'completed':41,'failed':0,'cancelled':0,'percent':38.9,"
                + "'text':'66 pending, 1 running, 41 completed, 0 failed'}}");
        assertThat(ProgressLine.childrenLine(parent)).isEqualTo("  children: 66 pending, 1 running, 41 completed, 0 failed");
    }

    @Test
    void durations() {
        assertThat(ProgressLine.duration(0)).isEqualTo("0s");
        assertThat(ProgressLine.duration(41_000)).isEqualTo("41s");
        assertThat(ProgressLine.duration(40_001)).isEqualTo("41s");
        assertThat(ProgressLine.duration(185_000)).isEqualTo("3m05s");
        assertThat(ProgressLine.duration(7_440_000)).isEqualTo("2h04m");
        assertThat(ProgressLine.duration(90_000_000)).isEqualTo("1d01h");
    }

    @Test
    void plainOutputPrintsOneLinePerChangeAndLogsInBetween() throws Exception {
        StringWriter text = new StringWriter();
        WatchDisplay d = new WatchDisplay(new PrintWriter(text), false, 400, ZoneOffset.UTC);
        JsonNode a = json("{'status':'running','progress':{'percent':10}}");
        JsonNode b = json("{'status':'running','progress':{'percent':20}}");
        d.job(a);
        d.job(a);
        d.log(json("{'seq':1,'time':'2025-01-02T03:04:05.678Z','level':'warn','message':'Row 7: bad','fields':{'row':7}}"));
        d.job(b);
        d.end();
        assertThat(text.toString().split("\\R")).containsExactly(
                "[##------------------]  10.0%",
                "03:04:05 WARN  Row 7: bad row=7",
                "[####----------------]  20.0%");
        assertThat(text.toString()).doesNotContain("\r", "\033");
    }

    @Test
    void terminalOutputRedrawsInPlace() throws Exception {
        StringWriter text = new StringWriter();
        WatchDisplay d = new WatchDisplay(new PrintWriter(text), true, 100, ZoneOffset.UTC);
        d.job(json("{'status':'running','progress':{'percent':10},'children':{'text':'1 pending'}}"));
        d.job(json("{'status':'running','progress':{'percent':20},'children':{'text':'1 running'}}"));
        d.end();
        String s = text.toString();
        assertThat(s).startsWith("[##------------------]  10.0%\n  children: 1 pending");
        // back to the start of the two-line area, clear it, draw again
        assertThat(s).contains("\r\033[1A\033[J[####----------------]  20.0%\n  children: 1 running");
    }
}
