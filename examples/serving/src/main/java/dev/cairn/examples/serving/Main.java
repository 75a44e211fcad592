package dev.cairn.examples.serving;

import java.util.Arrays;

/** {@code java -jar serving.jar train ...} or {@code java -jar serving.jar serve ...}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        String command = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "train" -> Train.main(rest);
            case "serve" -> Serve.main(rest);
            default -> {
                System.err.println("usage: java -jar serving.jar train|serve [options]; see examples/serving/README.md");
                System.exit(2);
            }
        }
    }
}
