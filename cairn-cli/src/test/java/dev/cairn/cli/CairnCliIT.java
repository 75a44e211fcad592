package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.api.ApiModels.Comparison;
import dev.cairn.api.ApiModels.EventList;
import dev.cairn.api.ApiModels.Lineage;
import dev.cairn.api.ApiModels.Model;
import dev.cairn.api.ApiModels.ModelList;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.api.ApiModels.VersionList;
import dev.cairn.api.ApiModels.VerifyReport;
import dev.cairn.cli.Cli.Result;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command through picocli, in-process, against a real server started in-process on port 0. */
class CairnCliIT {
    @TempDir
    static Path data;

    static CairnServer server;

    @TempDir
    Path work;

    Cli cairn;

    @BeforeAll
    static void start() {
        server = CairnServer.start(ServerConfig.builder().port(0).dataDir(data).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void cli() {
        cairn = new Cli(server.url(), work);
    }

    @Test
    void modelsAreCreatedShownListedAndDeleted() {
        Result created = cairn.run("models", "create", "churn", "--description", "who leaves", "--tag", "team=growth");
        assertThat(created.code()).isZero();
        assertThat(created.out()).contains("created model churn");

        Result shown = cairn.run("models", "show", "churn");
        assertThat(shown.out()).containsPattern("description:\\s+who leaves").containsPattern("tags:\\s+team=growth");
        Model model = cairn.run("-o", "json", "models", "show", "churn").json(Model.class);
        assertThat(model.tags()).containsEntry("team", "growth");
        assertThat(model.owner()).isEqualTo(System.getProperty("user.name"));

        Result list = cairn.run("models", "list", "-q", "chur");
        assertThat(list.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("PRODUCTION");
        assertThat(list.out()).contains("churn");
        assertThat(cairn.run("models", "list", "--output", "json").json(ModelList.class).models())
                .extracting(Model::name).contains("churn");

        Result duplicate = cairn.run("models", "create", "churn");
        assertThat(duplicate.code()).isEqualTo(ExitCodes.CONFLICT);
        assertOneErrorLine(duplicate, "churn");

        assertThat(cairn.run("models", "delete", "churn").code()).isZero();
        Result missing = cairn.run("models", "show", "churn");
        assertThat(missing.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertOneErrorLine(missing, "churn");
    }

    @Test
    void registersADirectoryWithMetricsParamsLineageAndSignature() throws IOException {
        Path model = dir("out", "weights/layer1.bin", "layer one", "config.json", "{}");
        Files.writeString(work.resolve("signature.json"),
                "{\"inputs\":[{\"name\":\"amount\",\"type\":\"double\"}],\"outputs\":[{\"name\":\"score\",\"type\":\"double\",\"optional\":false}]}");
        String digest = "sha256:" + "ab".repeat(32);
        Result registered = cairn.run("register", "fraud", "out", "--metric", "auc=0.91", "--metric", "loss=0.2",
                "--param", "lr=0.01", "--tag", "owner=risk", "--dataset", "train=s3://data/tx@2024-05#" + digest,
                "--dataset", "test=s3://data/holdout", "--commit", "1234abcd", "--repo", "https://git.example/fraud",
                "--branch", "main", "--run-id", "run-7", "--format", "onnx", "--signature", "signature.json",
                "--description", "first");
        assertThat(registered.code()).as(registered.err()).isZero();
        assertThat(registered.out()).contains("registered fraud version 1").contains("digest sha256:");

        Version v = cairn.run("-o", "json", "versions", "show", "fraud", "1").json(Version.class);
        assertThat(v.status()).isEqualTo("READY");
        assertThat(v.files()).extracting(f -> f.path()).containsExactly("config.json", "weights/layer1.bin");
        assertThat(v.metrics()).containsEntry("auc", 0.91).containsEntry("loss", 0.2);
        assertThat(v.params()).containsEntry("lr", "0.01");
        assertThat(v.tags()).containsEntry("owner", "risk");
        assertThat(v.format()).isEqualTo("onnx");
        assertThat(v.runId()).isEqualTo("run-7");
        assertThat(v.signature().inputs()).extracting(c -> c.name()).containsExactly("amount");
        assertThat(v.lineage().code().commit()).isEqualTo("1234abcd");
        assertThat(v.lineage().code().repository()).isEqualTo("https://git.example/fraud");
        assertThat(v.lineage().datasets()).anySatisfy(d -> {
            assertThat(d.uri()).isEqualTo("s3://data/tx");
            assertThat(d.version()).isEqualTo("2024-05");
            assertThat(d.digest()).isEqualTo(digest);
            assertThat(d.role()).isEqualToIgnoringCase("train");
        });
        assertThat(v.createdBy()).isEqualTo(System.getProperty("user.name"));

        Result shown = cairn.run("versions", "show", "fraud", "1");
        assertThat(shown.out()).containsPattern("status:\\s+READY").containsPattern("metrics:\\s+auc=0.91")
                .contains("weights/layer1.bin").contains("train s3://data/tx@2024-05 " + digest);

        Files.writeString(work.resolve("single.onnx"), "one file");
        assertThat(cairn.run("register", "fraud", "single.onnx", "--parent", "fraud:1").code()).isZero();
        Version single = cairn.run("-o", "json", "versions", "show", "fraud", "2").json(Version.class);
        assertThat(single.files()).extracting(f -> f.path()).containsExactly("single.onnx");
        assertThat(single.lineage().parents()).anySatisfy(p -> assertThat(p.model()).isEqualTo("fraud"));

        Result list = cairn.run("versions", "list", "fraud");
        assertThat(list.out().lines().toList()).hasSize(3);
        assertThat(list.out().lines().skip(1).findFirst().orElseThrow()).startsWith("2 ");
        assertThat(cairn.run("-o", "json", "versions", "list", "fraud").json(VersionList.class).versions())
                .extracting(Version::version).containsExactly(2, 1);

        assertThat(cairn.run("lineage", "--parent", "fraud:1").out()).contains("fraud").contains("2");
        assertThat(cairn.run("-o", "json", "lineage", "--dataset", digest).json(VersionList.class).versions())
                .extracting(Version::version).containsExactly(1);
        assertThat(cairn.run("-o", "json", "lineage", "--commit", "1234abcd").json(VersionList.class).versions())
                .extracting(Version::version).containsExactly(1);
        Result lineage = cairn.run("lineage", "fraud", "1");
        assertThat(lineage.out()).contains("1234abcd").contains("branch main").contains("s3://data/holdout");
        assertThat(cairn.run("-o", "json", "lineage", "fraud", "1").json(Lineage.class).datasets()).hasSize(2);
    }

    @Test
    void registersFromAGitWorkTreeRecordingCommitBranchOriginAndDirtiness() throws Exception {
        Path repo = Files.createDirectories(work.resolve("repo"));
        git(repo, "init", "-q");
        git(repo, "symbolic-ref", "HEAD", "refs/heads/trunk");
        git(repo, "remote", "add", "origin", "https://git.example/team/model.git");
        Files.writeString(repo.resolve("train.py"), "print('train')\n");
        git(repo, "add", "train.py");
        git(repo, "-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "train");
        String head = git(repo, "rev-parse", "HEAD");
        Files.writeString(repo.resolve("train.py"), "print('changed')\n");
        Files.writeString(repo.resolve("model.bin"), "weights");

        Cli inRepo = new Cli(server.url(), repo);
        Result registered = inRepo.run("register", "gitty", "model.bin");
        assertThat(registered.code()).as(registered.err()).isZero();
        Version v = inRepo.run("-o", "json", "versions", "show", "gitty", "1").json(Version.class);
        assertThat(v.lineage().code().commit()).isEqualTo(head);
        assertThat(v.lineage().code().branch()).isEqualTo("trunk");
        assertThat(v.lineage().code().repository()).isEqualTo("https://git.example/team/model.git");
        assertThat(v.lineage().code().dirty()).isTrue();

        Files.writeString(work.resolve("outside.bin"), "no git here");
        assertThat(cairn.run("register", "gitty", "outside.bin").code()).isZero();
        assertThat(cairn.run("-o", "json", "versions", "show", "gitty", "2").json(Version.class).lineage().code())
                .isNull();
    }

    @Test
    void invalidInputChangesNothingAndExitsTwo() throws IOException {
        Result missingPath = cairn.run("register", "ghost", "no-such-dir");
        assertThat(missingPath.code()).isEqualTo(ExitCodes.INVALID);
        assertOneErrorLine(missingPath, "no-such-dir");
        assertThat(cairn.run("models", "show", "ghost").code()).isEqualTo(ExitCodes.NOT_FOUND);

        Files.writeString(work.resolve("m.bin"), "x");
        Result badDataset = cairn.run("register", "ghost", "m.bin", "--dataset", "train=s3://x#md5:12");
        assertThat(badDataset.code()).isEqualTo(ExitCodes.INVALID);
        assertOneErrorLine(badDataset, "sha256");

        assertThat(cairn.run("versions", "show", "ghost", "one").code()).isEqualTo(ExitCodes.INVALID);
        assertThat(cairn.run("promote", "ghost", "1").code()).isEqualTo(ExitCodes.INVALID);
        assertThat(cairn.run("frobnicate").code()).isEqualTo(ExitCodes.INVALID);
        Result badRef = cairn.run("resolve", "just-a-name");
        assertThat(badRef.code()).isEqualTo(ExitCodes.INVALID);
        assertOneErrorLine(badRef, "just-a-name");
        assertThat(cairn.run("models", "create", "bad/name").code()).isEqualTo(ExitCodes.INVALID);
        assertThat(cairn.run("rollback", "ghost").code()).isEqualTo(ExitCodes.INVALID);
        assertThat(cairn.run("--output", "yaml", "models", "list").code()).isEqualTo(ExitCodes.INVALID);
    }

    @Test
    void aFailedUploadLeavesAnUncommittedDraft() throws IOException {
        // A backslash is a legal file name character here, but never a legal artifact path: the server refuses it.
        Files.writeString(work.resolve("bad\\name.bin"), "x");
        Result failed = cairn.run("register", "drafty", "bad\\name.bin");
        assertThat(failed.code()).isEqualTo(ExitCodes.INVALID);
        assertOneErrorLine(failed, "stays an uncommitted draft");
        Version draft = cairn.run("-o", "json", "versions", "show", "drafty", "1").json(Version.class);
        assertThat(draft.status()).isEqualTo("PENDING_REGISTRATION");
    }

    @Test
    void stagesAliasesRollbackResolveCompareAndHistory() throws IOException {
        register("ranker", "0.80", "v1");
        register("ranker", "0.85", "v2");
        register("ranker", "0.60", "v3");

        Result promoted = cairn.run("promote", "ranker", "1", "--to", "production", "--comment", "launch");
        assertThat(promoted.out()).contains("ranker version 1 is now in Production");
        assertThat(cairn.run("promote", "ranker", "2", "--to", "Production").code()).isZero();
        assertThat(cairn.run("-o", "json", "promote", "ranker", "3", "--to", "staging").json(Version.class).stage())
                .isEqualTo("Staging");
        assertThat(cairn.run("promote", "ranker", "3", "--to", "production", "-m", "try v3").code()).isZero();

        Result rolledBack = cairn.run("rollback", "ranker", "--stage", "production", "--comment", "v3 regressed");
        assertThat(rolledBack.code()).as(rolledBack.err()).isZero();
        assertThat(rolledBack.out()).contains("rolled back ranker Production to version 2");

        JsonNode resolved = cairn.run("-o", "json", "resolve", "models:/ranker/Production").json();
        for (String field : List.of("name", "version", "status", "stage", "aliases", "digest", "files", "metrics",
                "params", "lineage")) {
            assertThat(resolved.has(field)).as(field).isTrue();
        }
        assertThat(resolved.get("version").asInt()).isEqualTo(2);
        assertThat(resolved.get("stage").asText()).isEqualTo("Production");
        assertThat(cairn.run("resolve", "ranker/production").out()).contains("ranker/production -> ranker version 2");

        assertThat(cairn.run("alias", "set", "ranker", "champion", "2").out()).contains("ranker@champion -> version 2");
        cairn.run("alias", "set", "ranker", "champion", "3", "-m", "canary won");
        assertThat(cairn.run("resolve", "ranker@champion").out()).contains("version 3");
        assertThat(cairn.run("rollback", "ranker", "--alias", "champion").out()).contains("to version 2");
        assertThat(cairn.run("-o", "json", "resolve", "models:/ranker@champion").json(Version.class).version()).isEqualTo(2);
        assertThat(cairn.run("-o", "json", "alias", "delete", "ranker", "champion").json(Model.class).aliases())
                .doesNotContainKey("champion");
        assertThat(cairn.run("alias", "delete", "ranker", "champion").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cairn.run("resolve", "ranker@champion").code()).isEqualTo(ExitCodes.NOT_FOUND);

        Result history = cairn.run("history", "ranker");
        assertThat(history.out().lines().findFirst().orElseThrow()).contains("ACTOR").contains("COMMENT");
        assertThat(history.out()).contains("stage transition").contains("None -> Production").contains("launch")
                .contains("rollback").contains("v3 regressed").contains("@champion").contains("canary won")
                .contains(System.getProperty("user.name"));
        EventList events = cairn.run("-o", "json", "history", "ranker").json(EventList.class);
        assertThat(events.events()).extracting(e -> e.kind()).contains("STAGE_TRANSITION", "ROLLBACK", "ALIAS_SET")
                .doesNotContain("VERSION_COMMITTED");
        assertThat(cairn.run("-o", "json", "history", "ranker", "--all").json(EventList.class).events())
                .extracting(e -> e.kind()).contains("VERSION_COMMITTED");

        Result compare = cairn.run("compare", "ranker", "1", "2", "3");
        assertThat(compare.code()).isZero();
        assertThat(compare.out()).contains("METRIC").contains("auc").contains("+0.05").contains("-0.2")
                .contains("PARAM").contains("changes against v1");
        Comparison comparison = cairn.run("-o", "json", "compare", "ranker", "1", "3").json(Comparison.class);
        assertThat(comparison.versions()).containsExactly(1, 3);
        assertThat(cairn.run("compare", "ranker", "1").code()).isEqualTo(ExitCodes.INVALID);

        Result held = cairn.run("models", "delete", "ranker");
        assertThat(held.code()).isEqualTo(ExitCodes.CONFLICT);
        assertOneErrorLine(held, "ranker");
    }

    @Test
    void downloadWritesVerifiedFilesUnderTheDefaultOrGivenDirectory() throws IOException {
        dir("dl-src", "a.txt", "alpha", "sub/b.txt", "beta");
        assertThat(cairn.run("register", "dl", "dl-src").code()).isZero();

        Result downloaded = cairn.run("download", "models:/dl/1");
        assertThat(downloaded.code()).as(downloaded.err()).isZero();
        assertThat(Files.readString(work.resolve("dl-v1/a.txt"))).isEqualTo("alpha");
        assertThat(Files.readString(work.resolve("dl-v1/sub/b.txt"))).isEqualTo("beta");

        Version json = cairn.run("-o", "json", "download", "dl/latest", "--out", "elsewhere").json(Version.class);
        assertThat(json.version()).isEqualTo(1);
        assertThat(Files.readString(work.resolve("elsewhere/sub/b.txt"))).isEqualTo("beta");
    }

    @Test
    void verifyAndDownloadDetectACorruptBlob(@TempDir Path ownData) throws IOException {
        try (CairnServer own = CairnServer.start(ServerConfig.builder().port(0).dataDir(ownData).build())) {
            Cli cli = new Cli(own.url(), work);
            dir("v-src", "weights.bin", "precious weights", "readme.txt", "hello");
            assertThat(cli.run("register", "vv", "v-src").code()).isZero();

            Result ok = cli.run("verify", "vv", "1");
            assertThat(ok.code()).isZero();
            assertThat(ok.out()).contains("MODEL").contains("vv").contains("ok");
            assertThat(cli.run("verify").code()).isZero();
            assertThat(cli.run("-o", "json", "verify", "vv").json(VerifyReport.class).ok()).isTrue();

            Path blob = findBlob(ownData, "precious weights");
            Files.writeString(blob, "tampered weights");

            Result bad = cli.run("verify", "vv");
            assertThat(bad.code()).isEqualTo(ExitCodes.FAILURE);
            assertThat(bad.out()).contains("corrupt weights.bin").contains("FAILED");
            assertThat(cli.run("-o", "json", "verify").json(VerifyReport.class).ok()).isFalse();

            Result download = cli.run("download", "vv/1", "--out", "got");
            assertThat(download.code()).isEqualTo(ExitCodes.FAILURE);
            assertOneErrorLine(download, "weights.bin");
            assertThat(work.resolve("got/weights.bin")).doesNotExist();
        }
    }

    @Test
    void anUnreachableServerExitsFiveNamingTheUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Result result = new Cli("http://127.0.0.1:" + port, work).run("models", "list");
        assertThat(result.code()).isEqualTo(ExitCodes.UNREACHABLE);
        assertOneErrorLine(result, "http://127.0.0.1:" + port);
    }

    @Test
    void helpListsTheExitStatuses() {
        Result help = Cli.raw("register", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Exit status").contains("5   cannot reach the server").contains("--dataset");
    }

    private void register(String model, String auc, String content) throws IOException {
        Path file = work.resolve(model + "-" + content + ".bin");
        Files.writeString(file, content);
        Result result = cairn.run("register", model, file.getFileName().toString(), "--metric", "auc=" + auc,
                "--param", "seed=" + content, "--dataset", "train=s3://data/" + model + "@" + content);
        assertThat(result.code()).as(result.err()).isZero();
    }

    /** Creates {@code work/name} holding the given (path, content) pairs. */
    private Path dir(String name, String... pathsAndContents) throws IOException {
        Path root = work.resolve(name);
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            Path file = root.resolve(pathsAndContents[i]);
            Files.createDirectories(file.getParent());
            Files.writeString(file, pathsAndContents[i + 1]);
        }
        return root;
    }

    private static Path findBlob(Path dataDir, String content) throws IOException {
        byte[] wanted = content.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return Files.size(f) == wanted.length && Arrays.equals(Files.readAllBytes(f), wanted);
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow(() -> new AssertionError("no blob holds '" + content + "'"));
        }
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static void assertOneErrorLine(Result result, String mentions) {
        assertThat(result.err().lines().toList()).as(result.err()).hasSize(1);
        assertThat(result.err()).startsWith("error: ").contains(mentions).doesNotContain("Exception");
    }
}
