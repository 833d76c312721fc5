package dev.vmm.tests.cli;

import java.util.List;

/** {@link VmmProcess} for tests in other packages. */
public final class VmmProcessAccess {
    public record Result(int status, String stdout, String stderr) {}

    private VmmProcessAccess() {}

    public static Result run(List<String> args) throws Exception {
        VmmProcess p = VmmProcess.run(args.toArray(String[]::new));
        return new Result(p.status(), p.stdout(), p.stderr());
    }
}
