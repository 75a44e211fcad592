package dev.cairn.core.resolve;

import dev.cairn.core.RegistryException;
import dev.cairn.core.model.Stage;
import dev.cairn.core.model.Validate;

/**
 * A reference to one version of a model: {@code models:/name/7}, {@code models:/name/Production},
 * {@code models:/name/latest}, {@code models:/name@champion}, or the same without {@code models:/}.
 */
public record Reference(String model, Selector selector) {

    /** Which version of the model a reference selects. */
    public sealed interface Selector permits Number, Latest, InStage, Alias {}

    public record Number(int version) implements Selector {}

    public record Latest() implements Selector {}

    public record InStage(Stage stage) implements Selector {}

    public record Alias(String alias) implements Selector {}

    public static Reference parse(String text) {
        if (text == null || text.isBlank()) {
            throw RegistryException.invalid("reference must not be empty");
        }
        String body = text.startsWith("models:/") ? text.substring("models:/".length()) : text;
        int slash = body.indexOf('/');
        if (slash >= 0) {
            String model = Validate.modelName(body.substring(0, slash));
            return new Reference(model, selector(body.substring(slash + 1), text));
        }
        int at = body.lastIndexOf('@');
        if (at > 0) {
            return new Reference(Validate.modelName(body.substring(0, at)), new Alias(Validate.alias(body.substring(at + 1))));
        }
        throw RegistryException.invalid("reference '" + text
                + "' names no version: use NAME/VERSION, NAME/latest, NAME/production, NAME@ALIAS or models:/...");
    }

    /** Parses what follows the model name: a number, {@code latest}, a stage name or {@code @alias}. */
    public static Selector selector(String text, String whole) {
        if (text.startsWith("@")) {
            return new Alias(Validate.alias(text.substring(1)));
        }
        if (text.equalsIgnoreCase("latest")) {
            return new Latest();
        }
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            try {
                int version = Integer.parseInt(text);
                if (version >= 1) {
                    return new Number(version);
                }
            } catch (NumberFormatException tooBig) {
                // falls through to the error below
            }
            throw RegistryException.invalid("version '" + text + "' in '" + whole + "' is not a version number");
        }
        try {
            Stage stage = Stage.parse(text);
            if (stage != Stage.NONE) {
                return new InStage(stage);
            }
        } catch (RegistryException notAStage) {
            // falls through to the error below
        }
        throw RegistryException.invalid("'" + text + "' in '" + whole
                + "' is neither a version number, 'latest', a stage (staging, production, archived) nor @alias");
    }

    @Override
    public String toString() {
        if (selector instanceof Number n) {
            return "models:/" + model + "/" + n.version();
        } else if (selector instanceof InStage s) {
            return "models:/" + model + "/" + s.stage().label();
        } else if (selector instanceof Alias a) {
            return "models:/" + model + "@" + a.alias();
        }
        return "models:/" + model + "/latest";
    }
}
