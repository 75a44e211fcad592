package dev.cairn.core.verify;

import java.util.List;

/**
 * What a verification found, version by version. {@code ok} when no file is missing or corrupt; versions that only
 * refer to files kept elsewhere are reported as unverifiable, which is neither a pass nor a failure.
 */
public record VerifyReport(List<VersionCheck> versions) {
    public VerifyReport {
        versions = List.copyOf(versions);
    }

    public boolean ok() {
        return versions.stream().noneMatch(VersionCheck::failed);
    }

    /**
     * One version: its files that are missing or corrupt, whether the manifest still hashes to the recorded digest,
     * and what its lineage lacks (a warning, not a failure). {@code unverifiable} when the version is not
     * content-addressed: Cairn holds none of its files, so there is nothing to recompute.
     */
    public record VersionCheck(String model, int version, String digest, int filesChecked, List<String> missing,
                               List<String> corrupt, boolean digestMatches, List<String> lineageWarnings,
                               boolean unverifiable) {
        public VersionCheck {
            missing = List.copyOf(missing);
            corrupt = List.copyOf(corrupt);
            lineageWarnings = List.copyOf(lineageWarnings);
        }

        public static VersionCheck unverifiable(String model, int version, List<String> lineageWarnings) {
            return new VersionCheck(model, version, null, 0, List.of(), List.of(), false, lineageWarnings, true);
        }

        /** Every file was recomputed and matches. */
        public boolean ok() {
            return !unverifiable && missing.isEmpty() && corrupt.isEmpty() && digestMatches;
        }

        /** A file is missing or corrupt, or the manifest no longer hashes to its digest. */
        public boolean failed() {
            return !unverifiable && !ok();
        }
    }
}
