package dev.vmm.app.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * QEMU's and Cloud Hypervisor's option values: {@code key=value,key=value}. Unknown keys are an error
 * naming the field, the key and the form expected.
 */
final class OptionList {
    private OptionList() {}

    /**
     * The keys of {@code spec}, each one of {@code keys}, split on the first {@code limit - 1} commas
     * ({@code limit} 0: all, as fw_cfg's string= may hold commas when it comes last with limit 2).
     */
    static Map<String, String> parse(String field, String spec, List<String> keys, String form, int limit) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : spec.split(",", limit)) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            if (!keys.contains(key)) {
                throw new ConfigException(field, "unknown key '" + key + "' in '" + spec + "' (expected " + form + ")");
            }
            values.put(key, eq < 0 ? "" : part.substring(eq + 1));
        }
        return values;
    }
}
