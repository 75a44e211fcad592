package dev.cairn.storage.jdbc;

class PostgresTrackingStoreTest extends TrackingStoreContract {
    private String url;

    @Override
    JdbcMetadataStore openStore() {
        if (url == null) {
            url = TestPostgres.newDatabase();
        }
        return JdbcMetadataStore.postgres(url);
    }
}
