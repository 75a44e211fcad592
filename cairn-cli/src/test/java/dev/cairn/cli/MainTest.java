package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void theTokenOptionWinsOverTheEnvironmentWhichIsUsedWithoutIt() {
        Map<String, String> env = Map.of("CAIRN_TOKEN", "from-env");
        assertThat(Main.token("from-option", env)).isEqualTo("from-option");
        assertThat(Main.token(null, env)).isEqualTo("from-env");
        assertThat(Main.token("  ", env)).isEqualTo("from-env");
        assertThat(Main.token(null, Map.of())).isNull();
        assertThat(Main.token(null, Map.of("CAIRN_TOKEN", ""))).isNull();
    }
}
