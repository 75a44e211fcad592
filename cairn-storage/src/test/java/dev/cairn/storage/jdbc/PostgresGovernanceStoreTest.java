package dev.cairn.storage.jdbc;

class PostgresGovernanceStoreTest extends GovernanceStoreContract {
    @Override
    String newDatabase() {
        return TestPostgres.newDatabase();
    }
}
