package dev.cairn.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.core.governance.AuditChain;
import dev.cairn.core.store.MetadataStore.Tx;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

class SqliteGovernanceStoreTest extends GovernanceStoreContract {
    @Override
    String newDatabase() {
        return "jdbc:sqlite:" + dir.resolve("registry.db");
    }

    @Test
    void aRegistryWrittenBeforeTheChainExistedIsChainedWhenItIsUpgraded() throws Exception {
        store.close();
        url = "jdbc:sqlite:" + dir.resolve("before-v5.db");
        Flyway.configure().dataSource(url, null, null).locations(Dialect.SQLITE.migrations()).target("4").load()
                .migrate();
        execute("INSERT INTO events (time, actor, model, version, kind, payload) VALUES"
                + " (1000, 'alice', 'm', NULL, 'MODEL_CREATED', '{}'),"
                + " (2000, 'alice', 'm', 1, 'STAGE_TRANSITION', '{\"to\":\"Production\"}')");

        store = JdbcMetadataStore.open(url);
        List<AuditChain.Link> chain = store.read((Tx tx) -> tx.chain(null, 10));
        assertThat(chain).extracting(link -> link.event().seq()).containsExactly(1L, 2L);
        assertThat(firstBrokenLink(chain)).isNull();
    }
}
