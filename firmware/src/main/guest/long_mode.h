/* The 32-bit to long-mode step shared by the BSP (boot.S) and the APs (entry.S): PAE, the identity
 * page tables, EFER.LME, paging, then a far jump into 64-bit code at \target. No stack needed. */
.macro ENTER_LONG_MODE target
    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $PML4_ADDR, %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    wrmsr
    movl %cr0, %eax
    orl $CR0_PG, %eax
    movl %eax, %cr0
    ljmpl $SEL_CODE64, $\target
.endm
