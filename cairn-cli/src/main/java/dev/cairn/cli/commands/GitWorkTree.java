package dev.cairn.cli.commands;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The state of the git work tree a registration runs in, read with the {@code git} command: commit, branch (null
 * when detached), the {@code origin} URL (null without one), the directory inside the repository (null at its
 * root) and whether tracked files differ from the commit. Untracked files do not count as dirty: training output is
 * usually written, untracked, inside the work tree.
 */
record GitWorkTree(String repository, String commit, String branch, String path, boolean dirty) {

    /** Empty outside a work tree, in a repository without commits, or without git installed. */
    static Optional<GitWorkTree> detect(Path dir) {
        Optional<String> inside = git(dir, "rev-parse", "--is-inside-work-tree");
        if (inside.isEmpty() || !inside.get().equals("true")) {
            return Optional.empty();
        }
        Optional<String> commit = git(dir, "rev-parse", "--verify", "-q", "HEAD");
        if (commit.isEmpty()) {
            return Optional.empty();
        }
        String branch = git(dir, "symbolic-ref", "--short", "-q", "HEAD").orElse(null);
        String origin = git(dir, "config", "--get", "remote.origin.url").orElse(null);
        String prefix = git(dir, "rev-parse", "--show-prefix").orElse("");
        boolean dirty = git(dir, "status", "--porcelain", "--untracked-files=no").map(s -> !s.isEmpty()).orElse(false);
        String path = prefix.isEmpty() ? null : prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return Optional.of(new GitWorkTree(origin, commit.get(), branch, path, dirty));
    }

    /** The trimmed output of a successful git command, or empty when git fails or is missing. */
    private static Optional<String> git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            process.getOutputStream().close();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 && !output.isEmpty() ? Optional.of(output) : Optional.empty();
        } catch (IOException gitMissing) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
