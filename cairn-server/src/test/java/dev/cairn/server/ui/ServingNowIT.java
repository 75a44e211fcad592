package dev.cairn.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import dev.cairn.server.ui.Web.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model page's "Serving now" section, over plain HTTP: the live instances per version, or a line saying none. */
class ServingNowIT {
    @TempDir
    static Path data;
    static CairnServer server;
    static Web web;

    @BeforeAll
    static void start() {
        server = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).build());
        web = new Web(server);
        web.register("fraud", "{}");
        web.register("fraud", "{}");
        web.register("churn", "{}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theModelPageListsTheInstancesServingEachVersion() {
        heartbeat("pod-<b>", "fraud", 2, "node-7");
        heartbeat("pod-a", "fraud", 1, null);

        Reply page = web.get("/ui/models/fraud");
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        String section = BrowsePagesIT.between(page.body(), "<h2 id=\"serving-h\">", "</section>");
        assertThat(section).contains("Serving now").contains("<th scope=\"col\">Instance</th>")
                .contains("<th scope=\"col\">Reported by</th>")
                .contains("<th scope=\"row\"><a href=\"/ui/models/fraud/versions/2\">v2</a></th>")
                .contains("pod-&lt;b&gt;").doesNotContain("pod-<b>")
                .contains("node-7").contains("<time datetime=\"");
        assertThat(section.indexOf("data-version=\"2\"")).isLessThan(section.indexOf("data-version=\"1\""));
        assertThat(section).contains("data-instance=\"pod-a\"");
    }

    @Test
    void aModelNoInstanceReportedForSaysSo() {
        String section = BrowsePagesIT.between(web.get("/ui/models/churn").body(), "<h2 id=\"serving-h\">", "</section>");
        assertThat(section).contains("No instance reported in the last 90 seconds.").doesNotContain("<table");
    }

    private static void heartbeat(String instance, String model, int version, String host) {
        Reply reply = web.json("POST", "/api/v1/deployments/heartbeat", "{\"instance_id\":\"" + instance
                + "\",\"model\":\"" + model + "\",\"version\":" + version
                + (host == null ? "" : ",\"host\":\"" + host + "\"") + "}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }
}
