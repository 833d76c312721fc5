package dev.vmm.app.config;

import dev.vmm.core.VmmException;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configuration value that cannot work. Raised by the config records it names the field by its
 * path in the JSON schema ({@code memory.size}, {@code payload.firmware_vars}); other fields the
 * problem mentions are written as {@code {path}}, so that the command line can say its option names
 * instead ({@link #render}). Raised by an option parser it carries the whole message.
 */
public class ConfigException extends VmmException {
    private static final Pattern REFERENCE = Pattern.compile("\\{([a-z_]+(?:\\[\\d+])?(?:\\.[a-z_]+)*)}");

    private final String field;
    private final String problem;

    public ConfigException(String message) {
        super(message);
        this.field = null;
        this.problem = message;
    }

    /** @param problem what is wrong, with other fields as {@code {path}} */
    public ConfigException(String field, String problem) {
        super(render(field, problem, UnaryOperator.identity()));
        this.field = field;
        this.problem = problem;
    }

    /** The field's path, or null for a message from an option parser. */
    public String field() {
        return field;
    }

    /** The message with every field named by {@code name} (an option for a field path, say). */
    public String render(UnaryOperator<String> name) {
        return field == null ? getMessage() : render(field, problem, name);
    }

    private static String render(String field, String problem, UnaryOperator<String> name) {
        Matcher m = REFERENCE.matcher(problem);
        StringBuilder text = new StringBuilder(name.apply(field)).append(": ");
        while (m.find()) {
            m.appendReplacement(text, Matcher.quoteReplacement(name.apply(m.group(1))));
        }
        return m.appendTail(text).toString();
    }
}
