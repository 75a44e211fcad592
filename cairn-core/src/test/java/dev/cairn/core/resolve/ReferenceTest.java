package dev.cairn.core.resolve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.RegistryException;
import dev.cairn.core.model.Stage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceTest {

    @ParameterizedTest
    @CsvSource({
            "models:/fraud/7, fraud, Number[version=7]",
            "fraud/7, fraud, Number[version=7]",
            "models:/fraud/Production, fraud, InStage[stage=PRODUCTION]",
            "fraud/production, fraud, InStage[stage=PRODUCTION]",
            "fraud/STAGING, fraud, InStage[stage=STAGING]",
            "models:/fraud/latest, fraud, Latest[]",
            "models:/fraud@champion, fraud, Alias[alias=champion]",
            "fraud@champion, fraud, Alias[alias=champion]",
            "fraud/@champion, fraud, Alias[alias=champion]",
            "my model@v2@canary, my model@v2, Alias[alias=canary]",
    })
    void parsesEveryForm(String text, String model, String selector) {
        Reference reference = Reference.parse(text);
        assertThat(reference.model()).isEqualTo(model);
        assertThat(reference.selector().toString()).isEqualTo(selector);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fraud", "models:/fraud", "fraud/none", "fraud/0", "fraud/-1", "fraud/x1",
            "fraud/99999999999", "fraud@Champion", "fraud@latest", "/7", "models:/@x"})
    void rejectsMalformedReferences(String text) {
        assertThatThrownBy(() -> Reference.parse(text)).isInstanceOf(RegistryException.class);
    }

    @ParameterizedTest
    @CsvSource({"models:/a/3, models:/a/3", "a/production, models:/a/Production", "a@x, models:/a@x", "a/latest, models:/a/latest"})
    void printsTheCanonicalUri(String text, String uri) {
        assertThat(Reference.parse(text).toString()).isEqualTo(uri);
        assertThat(Reference.parse(uri)).isEqualTo(Reference.parse(text));
    }

    @org.junit.jupiter.api.Test
    void stageNamesAreCaseInsensitive() {
        assertThat(Stage.parse("pRoDuCtIoN")).isEqualTo(Stage.PRODUCTION);
        assertThatThrownBy(() -> Stage.parse("prod")).hasMessageContaining("unknown stage 'prod'");
    }
}
