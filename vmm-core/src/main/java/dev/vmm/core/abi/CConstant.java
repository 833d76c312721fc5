package dev.vmm.core.abi;

/** An enum constant that mirrors a C macro; the ABI check compares {@link #value()} with it. */
public interface CConstant {
    String cName();

    long value();
}
