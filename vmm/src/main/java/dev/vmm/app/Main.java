package dev.vmm.app;

import dev.vmm.app.cli.VmmCommand;

/** Process entry point: {@code bin/vmm}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(VmmCommand.execute(args));
    }
}
