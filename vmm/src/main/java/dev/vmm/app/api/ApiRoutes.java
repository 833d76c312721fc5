package dev.vmm.app.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmm.app.config.ConfigException;
import dev.vmm.app.config.ConfigJson;
import dev.vmm.app.config.DiskConfig;
import dev.vmm.app.config.NetConfig;
import dev.vmm.app.config.VmConfig;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API as a function from a request to a response, without the transport (Firecracker's and
 * Cloud Hypervisor's resources): each route reads its JSON body with the config's own schema and calls
 * the {@link VmController}. Every error is one JSON shape, {@code {"error": "..."}}, with a 4xx status
 * for what the client can fix.
 */
public final class ApiRoutes {
    /** A response: its status and the object its JSON body is made of (null: no body, 204). */
    public record Response(int status, Object body) {}

    public record Error(String error) {}

    public record Action(String action) {}

    /** PUT /actions' answer to shutdown: whether the guest had enabled the power button's event. */
    public record ShutdownResult(@com.fasterxml.jackson.annotation.JsonProperty("acpi_listening") boolean acpiListening) {}

    private static final Pattern DRIVE = Pattern.compile("/drives/([A-Za-z0-9_-]{1,64})");
    private static final Pattern NET = Pattern.compile("/network-interfaces/([A-Za-z0-9_-]{1,64})");
    private static final ObjectMapper JSON = ConfigJson.mapper();

    private final VmController vm;

    public ApiRoutes(VmController vm) {
        this.vm = vm;
    }

    public Response handle(String method, String path, byte[] body) {
        try {
            return route(method, path, body);
        } catch (ApiException e) {
            return error(e.status(), e.getMessage());
        } catch (ConfigException e) {
            return error(400, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(503, "interrupted");
        }
    }

    private Response route(String method, String path, byte[] body) throws InterruptedException {
        Matcher drive = DRIVE.matcher(path);
        Matcher net = NET.matcher(path);
        String[] allowed;
        switch (path) {
            case "/vm" -> {
                allowed = new String[] {"GET"};
                if (method.equals("GET")) {
                    return ok(vm.info());
                }
            }
            case "/vm/config" -> {
                allowed = new String[] {"GET", "PUT"};
                if (method.equals("GET")) {
                    VmConfig c = vm.effectiveConfig();
                    if (c == null) {
                        throw new ApiException(404, "no config yet: PUT /vm/config first");
                    }
                    return ok(c);
                }
                if (method.equals("PUT")) {
                    vm.putConfig(read(body, VmConfig.class, "config"));
                    return new Response(204, null);
                }
            }
            case "/vm/measurement" -> {
                allowed = new String[] {"GET"};
                if (method.equals("GET")) {
                    return ok(vm.measurement());
                }
            }
            case "/metrics" -> {
                allowed = new String[] {"GET"};
                if (method.equals("GET")) {
                    return ok(vm.metrics());
                }
            }
            case "/actions" -> {
                allowed = new String[] {"PUT"};
                if (method.equals("PUT")) {
                    return action(read(body, Action.class, "action"));
                }
            }
            default -> {
                if (drive.matches() || net.matches()) {
                    allowed = new String[] {"PUT"};
                    if (method.equals("PUT") && drive.matches()) {
                        vm.putDrive(drive.group(1), read(body, DiskConfig.class, "drive"));
                        return new Response(204, null);
                    }
                    if (method.equals("PUT")) {
                        vm.putNetworkInterface(net.group(1), read(body, NetConfig.class, "network interface"));
                        return new Response(204, null);
                    }
                } else {
                    throw new ApiException(404, "no such resource: " + path);
                }
            }
        }
        throw new ApiException(405, method + " " + path + ": allowed " + String.join(", ", allowed));
    }

    private Response action(Action a) throws InterruptedException {
        if (a.action() == null) {
            throw new ApiException(400, "action: missing {\"action\": \"start|pause|resume|shutdown|stop\"}");
        }
        switch (a.action()) {
            case "start" -> vm.start();
            case "pause" -> vm.pause();
            case "resume" -> vm.resume();
            case "shutdown" -> {
                return new Response(202, new ShutdownResult(vm.shutdown()));
            }
            case "stop" -> vm.stop();
            default -> throw new ApiException(400, "action: '" + a.action() + "' is not start, pause, resume, shutdown or stop");
        }
        return new Response(204, null);
    }

    private static <T> T read(byte[] body, Class<T> type, String what) {
        if (body == null || body.length == 0) {
            throw new ApiException(400, what + ": the request has no JSON body");
        }
        try {
            return JSON.readValue(body, type);
        } catch (JsonMappingException e) {
            String at = e.getPath().isEmpty() ? "" : " at " + ConfigJson.fieldPath(e);
            throw new ApiException(400, what + at + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ApiException(400, what + ": malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new ApiException(400, what + ": " + e.getMessage());
        }
    }

    private static Response ok(Object body) {
        return new Response(200, body);
    }

    private static Response error(int status, String message) {
        return new Response(status, new Error(message));
    }

    /** The body as JSON bytes (empty for none). */
    public static byte[] json(Response r) {
        if (r.body() == null) {
            return new byte[0];
        }
        try {
            return JSON.writeValueAsBytes(r.body());
        } catch (JsonProcessingException e) {
            return ("{\"error\":\"the response could not be written: " + e.getOriginalMessage().replace('"', '\'') + "\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
