package dev.vmm.app.cli;

import dev.vmm.app.config.ConfigException;
import dev.vmm.sev.attest.Product;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code vmm attestation}: read and verify SEV-SNP attestation reports, offline (files only, no KDS). */
@Command(name = "attestation", mixinStandardHelpOptions = true,
        description = "Show or verify an SEV-SNP attestation report (offline: certificates come from files).",
        subcommands = {AttestationShowCommand.class, AttestationVerifyCommand.class})
public final class AttestationCommand {
    static Optional<Product> product(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Optional.of(Product.byName(name).orElseThrow(() -> new ConfigException("--product: '" + name + "' is not one of "
                + Arrays.stream(Product.values()).map(p -> p.kdsName().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", ")))));
    }
}
