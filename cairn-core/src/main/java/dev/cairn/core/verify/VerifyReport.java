package dev.cairn.core.verify;

import java.util.List;

/** What a verification found, version by version. {@code ok} when no file is missing or corrupt. */
public record VerifyReport(List<VersionCheck> versions) {
    public VerifyReport {
        versions = List.copyOf(versions);
    }

    public boolean ok() {
        return versions.stream().allMatch(VersionCheck::ok);
    }

    /**
     * One version: its files that are missing or corrupt, whether the manifest still hashes to the recorded digest,
     * and what its lineage lacks (a warning, not a failure).
     */
    public record VersionCheck(String model, int version, String digest, int filesChecked, List<String> missing,
                               List<String> corrupt, boolean digestMatches, List<String> lineageWarnings) {
        public VersionCheck {
            missing = List.copyOf(missing);
            corrupt = List.copyOf(corrupt);
            lineageWarnings = List.copyOf(lineageWarnings);
        }

        public boolean ok() {
            return missing.isEmpty() && corrupt.isEmpty() && digestMatches;
        }
    }
}
