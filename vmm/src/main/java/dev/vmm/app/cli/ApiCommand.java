package dev.vmm.app.cli;

import dev.vmm.app.api.ApiClient;
import dev.vmm.app.config.ConfigException;
import dev.vmm.app.config.ConfigFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vmm api}: one request to a running VMM's API socket, as Cloud Hypervisor's ch-remote. */
@Command(name = "api", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Send one request to the API of a VMM started with run --api-socket; prints the JSON answer.",
            "Verbs: info (GET /vm), config (GET /vm/config), put-config FILE, metrics, measurement, start, pause, "
                + "resume, shutdown, stop, put-drive ID JSON, put-net ID JSON.",
            "Exit status: 0 for a 2xx answer, 1 with the API's error message otherwise."})
public final class ApiCommand implements Callable<Integer> {
    @Option(names = "--socket", paramLabel = "PATH", required = true, description = "The VMM's API socket.")
    Path socket;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
    long timeout;

    @Parameters(index = "0", paramLabel = "VERB", description = "What to do (see above).")
    String verb;

    @Parameters(index = "1..*", arity = "0..2", paramLabel = "ARG", description = "The verb's arguments.")
    java.util.List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Request r = request();
        ApiClient.Reply reply;
        try {
            reply = ApiClient.send(socket, r.method, r.path, r.body, timeout);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ConfigException("--socket", socket + ": no answer within " + timeout + " s");
        } catch (Exception e) {
            // Netty reports a missing or refused socket by the JDK's exceptions, thrown unchecked.
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new ConfigException("--socket", socket + ": " + describe(cause));
        }
        if (reply.status() / 100 == 2) {
            if (!reply.body().isEmpty()) {
                System.out.println(reply.body());
            }
            return 0;
        }
        String message = reply.body();
        try {
            var node = dev.vmm.app.config.ConfigJson.mapper().readTree(reply.body());
            if (node.has("error")) {
                message = node.get("error").asText();
            }
        } catch (java.io.IOException notJson) {
            // shown as it came
        }
        System.err.println("vmm: error: " + r.method + " " + r.path + ": " + reply.status() + ": " + message);
        return 1;
    }

    private static String describe(Throwable t) {
        if (t instanceof java.io.FileNotFoundException) {
            return "no such socket (is a VMM running with --api-socket?)";
        }
        if (t instanceof java.net.ConnectException) {
            return "connection refused (no VMM listens there)";
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private record Request(String method, String path, String body) {}

    private Request request() {
        return switch (verb) {
            case "info" -> new Request("GET", "/vm", null);
            case "config" -> new Request("GET", "/vm/config", null);
            case "metrics" -> new Request("GET", "/metrics", null);
            case "measurement" -> new Request("GET", "/vm/measurement", null);
            case "start", "pause", "resume", "shutdown", "stop" ->
                    new Request("PUT", "/actions", "{\"action\":\"" + verb + "\"}");
            case "put-config" -> new Request("PUT", "/vm/config", file(arg(0, "FILE")));
            case "put-drive" -> new Request("PUT", "/drives/" + arg(0, "ID"), arg(1, "JSON"));
            case "put-net" -> new Request("PUT", "/network-interfaces/" + arg(0, "ID"), arg(1, "JSON"));
            default -> throw new ConfigException("VERB", "'" + verb + "' is not info, config, put-config, metrics, "
                    + "measurement, start, pause, resume, shutdown, stop, put-drive or put-net");
        };
    }

    private String arg(int i, String what) {
        if (args.size() <= i) {
            throw new ConfigException(verb, "needs " + what);
        }
        return args.get(i);
    }

    private static String file(String path) {
        return new String(ConfigFiles.read("put-config", Path.of(path), ConfigMerge.MAX_CONFIG), StandardCharsets.UTF_8);
    }
}
