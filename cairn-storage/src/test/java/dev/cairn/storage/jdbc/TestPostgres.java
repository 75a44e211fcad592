package dev.cairn.storage.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests: the server named by {@code CAIRN_TEST_POSTGRES_URL} (a JDBC URL whose user may create
 * databases), or else one embedded server per test JVM, started on first use. Each test gets a database of its own,
 * copied from a template migrated once ({@code CREATE DATABASE ... TEMPLATE}), so no test sees another's rows and
 * none has to wipe tables. The next copy is made in the background while a test runs.
 */
public final class TestPostgres {
    private static final String EXISTING_SERVER = "CAIRN_TEST_POSTGRES_URL";
    /** Unique per JVM, so test runs sharing an existing server never meet each other's databases. */
    private static final String RUN = "cairn_" + UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static Server server;

    private TestPostgres() {}

    /** The JDBC URL of a new database holding the migrated, empty schema. */
    public static String newDatabase() {
        return server().nextCopy();
    }

    /** The JDBC URL of a new database with no tables at all. */
    public static String newEmptyDatabase() {
        Server s = server();
        String name = RUN + "_" + DATABASES.incrementAndGet();
        s.execute("CREATE DATABASE " + name);
        s.created.add(name);
        return withDatabase(s.adminUrl, name);
    }

    private static synchronized Server server() {
        if (server == null) {
            server = start();
        }
        return server;
    }

    private static Server start() {
        String existing = System.getenv(EXISTING_SERVER);
        Server s;
        if (existing != null && !existing.isBlank()) {
            s = new Server(existing, null);
        } else {
            EmbeddedPostgres embedded;
            try {
                // Durability is the server's business, not the tests'; without fsync a database copy takes milliseconds.
                embedded = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "300")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
            s = new Server(embedded.getJdbcUrl("postgres", "postgres"), embedded);
        }
        s.execute("CREATE DATABASE " + s.template);
        s.created.add(s.template);
        JdbcMetadataStore.postgres(withDatabase(s.adminUrl, s.template)).close();
        Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "cairn-test-postgres-stop"));
        return s;
    }

    /** {@code url} with its database replaced: jdbc:postgresql://host:port/DATABASE?query. */
    static String withDatabase(String url, String database) {
        int hosts = url.indexOf("//");
        int query = url.indexOf('?');
        String head = query < 0 ? url : url.substring(0, query);
        int slash = head.indexOf('/', hosts + 2);
        String server = slash < 0 ? head : head.substring(0, slash);
        return server + "/" + database + (query < 0 ? "" : url.substring(query));
    }

    private static final class Server {
        final String adminUrl;
        final EmbeddedPostgres embedded;
        final String template = RUN + "_template";
        final List<String> created = new CopyOnWriteArrayList<>();
        private final ExecutorService copier = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "cairn-test-postgres-copier");
            thread.setDaemon(true);
            return thread;
        });
        private Future<String> next;

        Server(String adminUrl, EmbeddedPostgres embedded) {
            this.adminUrl = adminUrl;
            this.embedded = embedded;
        }

        synchronized String nextCopy() {
            if (next == null) {
                next = copier.submit(this::copy);
            }
            Future<String> current = next;
            next = copier.submit(this::copy);
            try {
                return current.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot copy the test database template", e.getCause());
            }
        }

        private String copy() {
            String name = RUN + "_" + DATABASES.incrementAndGet();
            execute("CREATE DATABASE " + name + " TEMPLATE " + template);
            created.add(name);
            return withDatabase(adminUrl, name);
        }

        void execute(String sql) {
            try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("test PostgreSQL refused: " + sql, e);
            }
        }

        /** An embedded server goes with its data; on an existing server, this run's databases are dropped. */
        void stop() {
            copier.shutdownNow();
            try {
                if (embedded != null) {
                    embedded.close();
                    return;
                }
                for (String name : created) {
                    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("could not clean up the test PostgreSQL: " + e);
            }
        }
    }
}
