package dev.vmm.sev.attest;

/** An SNP firmware version, stored in the report as build, minor, major and printed major.minor.build. */
public record FirmwareVersion(int major, int minor, int build) {
    @Override
    public String toString() {
        return major + "." + minor + "." + build;
    }
}
