package io.energy.config;

/** A configuration problem, worded for the person who wrote the option: key, value, accepted form. */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
