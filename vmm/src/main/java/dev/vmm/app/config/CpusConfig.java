package dev.vmm.app.config;

/** The vCPUs: how many boot. */
public record CpusConfig(int count) {
    /** xAPIC IDs are 8 bits and 0xff is the broadcast ID. */
    public static final int MAX = 254;

    /** One rule for every command: {@code run}, and {@code measure}/{@code id-block}/{@code attestation verify}. */
    public void validate() {
        if (count < 1 || count > MAX) {
            throw new ConfigException("cpus.count", count + " is not 1 to " + MAX);
        }
    }
}
