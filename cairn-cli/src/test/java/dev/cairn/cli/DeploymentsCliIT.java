package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.api.ApiModels.CreateVersion;
import dev.cairn.api.ApiModels.DeploymentList;
import dev.cairn.api.ApiModels.Heartbeat;
import dev.cairn.client.CairnClient;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn deployments} in-process against a real server that serving instances reported to. */
class DeploymentsCliIT {
    @TempDir
    static Path data;

    static CairnServer server;
    static CairnClient client;
    static Cli cairn;

    @BeforeAll
    static void start() throws IOException {
        server = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).build());
        client = CairnClient.builder().baseUrl(server.url()).user("alice").build();
        cairn = new Cli(server.url(), data);
        register("fraud");
        register("fraud");
        register("churn");
        client.heartbeat(new Heartbeat("pod-a", "fraud", 2, "models:/fraud@production", null, "node-1"));
        client.heartbeat(new Heartbeat("pod-b", "fraud", 2, "models:/fraud@production", null, "node-2"));
        client.heartbeat(new Heartbeat("pod-c", "fraud", 1, null, "2026-01-02T03:04:05.678Z", null));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void listsTheLiveInstancesWithASummary() {
        Cli.Result result = cairn.run("deployments", "fraud");
        assertThat(result.code()).as(result.err()).isZero();
        String[] lines = result.out().split("\n");
        assertThat(lines[0]).contains("INSTANCE").contains("VERSION").contains("SINCE").contains("LAST SEEN")
                .contains("HOST").contains("REPORTED BY").contains("REFERENCE");
        assertThat(lines[1].split(" +")).startsWith("pod-a", "2");
        assertThat(lines[1]).contains("node-1").contains("models:/fraud@production");
        assertThat(lines[2].split(" +")).startsWith("pod-b", "2");
        assertThat(lines[3].split(" +")).startsWith("pod-c", "1");
        assertThat(lines[3]).contains("2026-01-02T03:04:05Z");
        assertThat(lines[lines.length - 1]).isEqualTo("2 instances serve version 2, 1 serves version 1");
    }

    @Test
    void printsJsonWithTheFlagOrTheGlobalOption() {
        DeploymentList list = cairn.run("-o", "json", "deployments", "fraud").json(DeploymentList.class);
        assertThat(list.deployments()).extracting(d -> d.version() + "/" + d.instanceId())
                .containsExactly("2/pod-a", "2/pod-b", "1/pod-c");
        assertThat(list.deployments()).allMatch(d -> d.live());
        assertThat(cairn.run("-o", "json", "deployments", "fraud", "--all").json(DeploymentList.class).deployments())
                .hasSize(3);
    }

    @Test
    void aModelNobodyServesSaysSoAndAnUnknownOneIsNotFound() {
        Cli.Result none = cairn.run("deployments", "churn");
        assertThat(none.code()).isZero();
        assertThat(none.out().strip()).isEqualTo("churn: no live instance reported in the last 90 s");

        Cli.Result unknown = cairn.run("deployments", "nope");
        assertThat(unknown.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err()).contains("model 'nope' does not exist");
    }

    private static void register(String model) throws IOException {
        var draft = client.createVersion(model, new CreateVersion(null, null, null, null, null, null, null, null, null,
                true));
        Path file = Files.writeString(data.resolve(model + "-" + draft.version() + ".bin"), "weights");
        client.uploadFile(model, draft.version(), "model.bin", file, null);
        client.commit(model, draft.version());
    }
}
