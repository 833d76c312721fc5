package dev.vmm.app.config;

/** A configuration value that cannot work; the message names the option or field. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
