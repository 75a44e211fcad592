package dev.cairn.cli;

import dev.cairn.api.ByteSize;
import dev.cairn.client.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-line transfer progress bar, redrawn in place at most ten times a second. */
public final class ProgressBar implements Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private long lastDraw;

    private ProgressBar(PrintWriter err) {
        this.err = err;
    }

    /** A bar on {@code err} when stderr is a terminal, otherwise nothing (logs and pipes stay clean). */
    public static Progress forTerminal(PrintWriter err) {
        boolean terminal = stderrIsTerminal() && !"dumb".equals(System.getenv("TERM"));
        return terminal ? new ProgressBar(err) : Progress.NONE;
    }

    /**
     * Java 17 can only tell whether stdin and stdout are a console; on Linux the file descriptor's link says where
     * stderr itself goes, so the bar still shows when stdout is piped.
     */
    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException notLinux) {
            return System.console() != null;
        }
    }

    @Override
    public void update(String path, long done, long total) {
        long now = System.nanoTime();
        boolean finished = done >= total;
        if (!finished && done > 0 && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int filled = total <= 0 ? WIDTH : (int) (WIDTH * Math.min(1.0, (double) done / total));
        String line = String.format("\r%-30.30s [%s%s] %3d%% %s/%s", path, "=".repeat(filled), " ".repeat(WIDTH - filled),
                total <= 0 ? 100 : done * 100 / total, ByteSize.format(done), ByteSize.format(total));
        err.print(line);
        if (finished) {
            err.println();
        }
        err.flush();
    }
}
