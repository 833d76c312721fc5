/* 64-bit entry points in the payload, and the AP trampoline copied to 0x8000. */
#include "layout.h"
#include "long_mode.h"

    .section .text.entry, "ax"
    .code64
    .globl bsp_entry64
bsp_entry64:
    movw $SEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movq $stacks + STACK_SIZE, %rsp
    call bsp_main
halt:
    cli
    hlt
    jmp halt

ap_entry64:
    movw $SEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    /*
     * Stacks 1..MAX_CPUS-1 by order of arrival (the BSP has stack 0, whose top is stacks + STACK_SIZE):
     * arrival n (from 0) runs on the top of stack n + 1. APs beyond them halt at once, without a stack
     * and without reporting, so that a VM of more vCPUs than the guest counts is told apart by count.
     */
    movl $1, %eax
    lock xaddl %eax, ap_next_stack
    cmpl $MAX_CPUS - 1, %eax
    jae halt
    addl $2, %eax
    imull $STACK_SIZE, %eax
    addq $stacks, %rax
    movq %rax, %rsp
    call ap_main
    jmp halt

    .section .data
    .globl ap_trampoline_lma, ap_trampoline_size
ap_trampoline_lma:  .quad __ap_lma
ap_trampoline_size: .quad __ap_size
ap_next_stack:      .long 0

    .section .bss
    .balign 4096
    .globl stacks
stacks:
    .skip MAX_CPUS * STACK_SIZE

/* Runs at 0x8000 in real mode (CS=0x0800, IP=0) after the SIPI. */
    .section .ap, "ax"
    .code16
ap_start:
    cli
    cld
    xorw %ax, %ax
    movw %ax, %ds
    lgdtl ap_gdt_desc
    movl %cr0, %eax
    orl $CR0_PE, %eax
    movl %eax, %cr0
    ljmpl $SEL_CODE32, $ap32

    .code32
ap32:
    movw $SEL_DATA, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    ENTER_LONG_MODE ap_entry64

    .balign 8
ap_gdt:
    .quad 0
    .quad GDT_CODE32
    .quad GDT_DATA
    .quad GDT_CODE64
ap_gdt_end:
ap_gdt_desc:
    .word ap_gdt_end - ap_gdt - 1
    .long ap_gdt
