package dev.vmm.app.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.psp.PspKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/**
 * The JSON form of {@link VmConfig}, the one the config file and the API share: unknown fields are
 * refused (Jackson names their path), paths are plain strings, modes and PSPs are their command-line
 * words, absent values are left out. A flag or number left out is false or 0 ({"path": ...} is a
 * writable disk); a number that cannot be 0 is then refused by validation, which names the field.
 */
public final class ConfigJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .registerModule(new SimpleModule("vmm-config")
                    .addSerializer(Path.class, text(Path::toString))
                    .addDeserializer(Path.class, parsed(Path.class, Path::of))
                    .addSerializer(SevMode.class, text(SevMode::runName))
                    .addDeserializer(SevMode.class, parsed(SevMode.class, SevMode::parse))
                    .addSerializer(PspKind.class, text(k -> k.name().toLowerCase(Locale.ROOT)))
                    .addDeserializer(PspKind.class, parsed(PspKind.class, s -> PspKind.valueOf(s.toUpperCase(Locale.ROOT)))));

    private ConfigJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(VmConfig config) {
        try {
            return MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a VmConfig must always serialize", e);
        }
    }

    /** @throws ConfigException naming the field Jackson could not take */
    public static VmConfig read(String json) {
        try {
            return MAPPER.readValue(json, VmConfig.class);
        } catch (JsonProcessingException e) {
            String path = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
                    ? fieldPath(m) : "config";
            throw new ConfigException("config", path + ": " + e.getOriginalMessage());
        }
    }

    /** Where a mapping error is, as the config's field names: {@code cpus.sockets}, {@code disks[0].path}. */
    public static String fieldPath(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static <T> JsonSerializer<T> text(Function<T, String> format) {
        return new JsonSerializer<>() {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(format.apply(value));
            }
        };
    }

    private static <T> JsonDeserializer<T> parsed(Class<T> type, Function<String, T> parse) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                String text = p.getValueAsString();
                try {
                    return parse.apply(text);
                } catch (RuntimeException e) {
                    throw ctx.weirdStringException(text, type, e.getMessage());
                }
            }
        };
    }
}
