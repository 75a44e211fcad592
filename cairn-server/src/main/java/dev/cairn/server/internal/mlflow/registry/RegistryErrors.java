package dev.cairn.server.internal.mlflow.registry;

import dev.cairn.core.ErrorCode;
import dev.cairn.core.RegistryException;
import java.util.Map;

/** MLflow's wording for the registry errors its clients and their tests read. */
final class RegistryErrors {
    private RegistryErrors() {}

    /** A not-found error of the registry worded as MLflow words it; any other error unchanged. */
    static RegistryException reworded(RegistryException e) {
        if (e.code() != ErrorCode.NOT_FOUND) {
            return e;
        }
        Map<String, Object> details = e.details();
        Object resource = details.get("resource");
        if ("model".equals(resource)) {
            return RegistryException.notFound(modelNotFound(details.get("model")), details);
        }
        if ("version".equals(resource)) {
            return RegistryException.notFound(versionNotFound(details.get("model"), details.get("version")), details);
        }
        return e;
    }

    static String modelNotFound(Object name) {
        return "Registered Model with name=" + name + " not found";
    }

    static String versionNotFound(Object name, Object version) {
        return "Model Version (name=" + name + ", version=" + version + ") not found";
    }

    static RegistryException alreadyExists(String name) {
        return RegistryException.alreadyExists("Registered Model (name=" + name + ") already exists.");
    }

    /** Whether the error says a tag or an alias is missing, which MLflow's delete calls ignore. */
    static boolean isMissing(RegistryException e, String resource) {
        return e.code() == ErrorCode.NOT_FOUND && resource.equals(e.details().get("resource"));
    }
}
