package dev.cairn.cli.commands;

import com.fasterxml.jackson.core.JacksonException;
import dev.cairn.api.ApiModels.Code;
import dev.cairn.api.ApiModels.CreateVersion;
import dev.cairn.api.ApiModels.Dataset;
import dev.cairn.api.ApiModels.Lineage;
import dev.cairn.api.ApiModels.Parent;
import dev.cairn.api.ApiModels.Run;
import dev.cairn.api.ApiModels.Signature;
import dev.cairn.api.ApiModels.Version;
import dev.cairn.api.ByteSize;
import dev.cairn.api.Json;
import dev.cairn.cli.CairnCommand;
import dev.cairn.cli.ProgressBar;
import dev.cairn.cli.StepFailed;
import dev.cairn.cli.Text;
import dev.cairn.client.CairnException;
import dev.cairn.client.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "register", description = {
    "Register a new version of a model from files and directories, with its metrics, params and lineage.",
    "Creates the model when missing, uploads every file (a directory's files at their paths relative to it, a "
            + "single file by its name), then commits the version and prints its number and digest. If an upload "
            + "fails the version stays an uncommitted draft.",
    "Without --commit, inside a git work tree the commit, branch, origin URL and dirty flag (tracked files "
            + "changed) are recorded."})
public final class RegisterCommand extends CairnCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The model.")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH", description = "Files and directories to upload.")
    List<String> paths;

    @Option(names = "--metric", paramLabel = "NAME=NUMBER", description = "A metric; repeatable.")
    Map<String, Double> metrics = new LinkedHashMap<>();

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A training parameter; repeatable.")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag; repeatable.")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--dataset", paramLabel = "ROLE=URI[@VERSION][#sha256:HEX]",
            converter = Arguments.DatasetConverter.class,
            description = "A dataset that went in; ROLE is train, validation, test or other. Repeatable.")
    List<Dataset> datasets = new ArrayList<>();

    @Option(names = "--parent", paramLabel = "NAME:VERSION", converter = Arguments.ParentConverter.class,
            description = "A model version this one derives from; repeatable.")
    List<Parent> parents = new ArrayList<>();

    @Option(names = "--commit", paramLabel = "SHA", description = "The code commit (skips git detection).")
    String commit;

    @Option(names = "--repo", paramLabel = "URL", description = "The code repository.")
    String repository;

    @Option(names = "--branch", paramLabel = "BRANCH")
    String branch;

    @Option(names = "--run-id", paramLabel = "ID", description = "The training run.")
    String runId;

    @Option(names = "--format", paramLabel = "FORMAT", description = "onnx, safetensors, pmml, sklearn, ...")
    String format;

    @Option(names = "--signature", paramLabel = "FILE",
            description = "JSON {\"inputs\":[{\"name\",\"type\",\"optional\"}],\"outputs\":[...]}.")
    String signatureFile;

    @Option(names = "--description", paramLabel = "TEXT")
    String description;

    /** One file to upload and the artifact path it gets. */
    record Upload(String artifactPath, Path file) {}

    @Override
    protected int run() {
        List<Upload> uploads = plan();
        Signature signature = signatureFile == null ? null : signature(path(signatureFile));
        Lineage lineage = new Lineage(datasets, code(), runId == null ? null : new Run(runId, null), parents, null);
        Version draft = client().createVersion(name, new CreateVersion(description, tags, metrics, params, signature,
                format, source(), runId, lineage, true));
        Progress progress = ProgressBar.forTerminal(err());
        for (Upload upload : uploads) {
            try {
                client().uploadFile(name, draft.version(), upload.artifactPath(), upload.file(), progress);
            } catch (CairnException | UncheckedIOException e) {
                throw new StepFailed("upload of '" + upload.artifactPath() + "' failed; version " + draft.version()
                        + " of '" + name + "' stays an uncommitted draft", e);
            }
        }
        Version v = client().commit(name, draft.version());
        return print(v, () -> {
            out().println("registered " + v.name() + " version " + v.version());
            out().println("digest " + v.digest() + " (" + Text.count(uploads.size(), "file") + ", "
                    + ByteSize.format(v.size()) + ")");
        });
    }

    /** Every file to upload, checked before anything is created so that bad input changes nothing. */
    private List<Upload> plan() {
        Map<String, Upload> byPath = new TreeMap<>();
        for (String given : paths) {
            Path root = path(given);
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                        String artifact = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                        add(byPath, new Upload(artifact, file));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read directory " + root + ": " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(root)) {
                add(byPath, new Upload(root.getFileName().toString(), root));
            } else {
                throw new ParameterException(spec.commandLine(), "no such file or directory: " + given);
            }
        }
        if (byPath.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "nothing to upload: " + String.join(", ", paths)
                    + " holds no files");
        }
        return List.copyOf(byPath.values());
    }

    private void add(Map<String, Upload> byPath, Upload upload) {
        Upload previous = byPath.putIfAbsent(upload.artifactPath(), upload);
        if (previous != null) {
            throw new ParameterException(spec.commandLine(), "two files would be uploaded as '" + upload.artifactPath()
                    + "': " + previous.file() + " and " + upload.file());
        }
    }

    /** Explicit --commit/--repo/--branch win; otherwise what git says about the work tree cairn runs in. */
    private Code code() {
        Optional<GitWorkTree> git = commit == null ? GitWorkTree.detect(main().directory()) : Optional.empty();
        if (git.isPresent()) {
            GitWorkTree tree = git.get();
            return new Code(repository != null ? repository : tree.repository(), tree.commit(),
                    branch != null ? branch : tree.branch(), tree.path(), tree.dirty());
        }
        if (commit == null && repository == null && branch == null) {
            return null;
        }
        return new Code(repository, commit, branch, null, null);
    }

    private String source() {
        return paths.stream().map(p -> path(p).toUri().toString()).collect(Collectors.joining(" "));
    }

    private Signature signature(Path file) {
        try {
            return Json.mapper().readValue(file.toFile(), Signature.class);
        } catch (JacksonException e) {
            throw new ParameterException(spec.commandLine(), "signature file " + file + " is not "
                    + "{\"inputs\":[{\"name\",\"type\",\"optional\"}],\"outputs\":[...]}: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read signature file " + file + ": " + e.getMessage());
        }
    }
}
