package dev.cairn.storage.jdbc;

class SqliteTrackingStoreTest extends TrackingStoreContract {
    @Override
    JdbcMetadataStore openStore() {
        return JdbcMetadataStore.sqlite(dir.resolve("tracking.db"));
    }
}
