package dev.cairn.core.tracking;

import java.util.List;
import java.util.random.RandomGenerator;

/** Names for runs created without one, in MLflow's "adjective-noun-number" style (e.g. "bold-heron-412"). */
final class RunNames {
    private static final List<String> ADJECTIVES = List.of("able", "agile", "amber", "bold", "brave", "bright",
            "calm", "clever", "crisp", "daring", "eager", "fair", "gentle", "glad", "honest", "jolly", "keen", "lucid",
            "merry", "nimble", "polite", "quiet", "rare", "sharp", "silent", "smart", "steady", "swift", "tidy", "vivid",
            "warm", "wise");
    private static final List<String> NOUNS = List.of("ant", "bass", "bear", "carp", "cod", "crane", "deer", "dove",
            "eel", "elk", "finch", "fox", "goat", "hare", "hawk", "heron", "ibis", "jay", "koi", "lark", "lynx", "mole",
            "newt", "owl", "panda", "quail", "ram", "seal", "shrew", "snail", "trout", "wolf", "wren", "yak");

    private RunNames() {}

    static String random(RandomGenerator random) {
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(random.nextInt(NOUNS.size())) + "-"
                + random.nextInt(1000);
    }
}
