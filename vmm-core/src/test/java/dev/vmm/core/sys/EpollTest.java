package dev.vmm.core.sys;

import dev.vmm.core.abi.CStruct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

class EpollTest {
    @Test
    void epollEventIsPacked() {
        assertThat(Epoll.EPOLL_EVENT.byteSize()).isEqualTo(12);
        assertThat(CStruct.offset(Epoll.EPOLL_EVENT, "data")).isEqualTo(4);
    }

    @Test
    void readinessComesBackWithItsTokenAndErrorsNameTheOperation() {
        try (Epoll epoll = new Epoll(); EventFd a = new EventFd(EventFd.EFD_NONBLOCK);
             EventFd b = new EventFd(EventFd.EFD_NONBLOCK); Arena arena = Arena.ofConfined()) {
            Epoll.Ready ready = new Epoll.Ready(arena, 4);
            epoll.add(a.fd(), Epoll.EPOLLIN, 0x1122334455667788L);
            epoll.add(b.fd(), Epoll.EPOLLIN, -2);
            assertThat(epoll.await(ready, 0)).as("nothing ready").isZero();
            b.write(1);
            a.write(1);
            assertThat(epoll.await(ready, 0)).isEqualTo(2);
            // The second entry's token sits at byte 16, unaligned: only a packed layout reads it right.
            assertThat(ready.token(0)).isEqualTo(-2);
            assertThat(ready.token(1)).isEqualTo(0x1122334455667788L);
            assertThat(ready.events(1)).isEqualTo(Epoll.EPOLLIN);
            epoll.modify(a.fd(), Epoll.EPOLLOUT, 7);
            epoll.delete(b.fd());
            assertThat(epoll.await(ready, 0)).isEqualTo(1);
            assertThat(ready.token(0)).isEqualTo(7);
            assertThat(ready.events(0)).as("an eventfd below its maximum is writable").isEqualTo(Epoll.EPOLLOUT);
            assertThatThrownBy(() -> epoll.add(a.fd(), Epoll.EPOLLIN, 1)).isInstanceOf(SysException.class)
                    .hasMessageStartingWith("epoll_ctl(EPOLL_CTL_ADD): EEXIST").hasMessageContaining("eventfd[fd ");
            assertThatThrownBy(() -> epoll.delete(b.fd())).hasMessageStartingWith("epoll_ctl(EPOLL_CTL_DEL): ENOENT");
        }
    }
}
