package dev.vmm.app.api;

import dev.vmm.app.config.ConfigException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The management API's transport: HTTP/1.1 over a unix socket (mode 0600) with Netty's epoll
 * transport, as Firecracker and Cloud Hypervisor serve theirs. One I/O thread parses requests; each
 * request then runs on a virtual thread of its own, so that one that waits (a stop, a boot) holds up
 * neither the other clients nor any vCPU. Bodies are limited to {@link #MAX_BODY} bytes.
 */
public final class ApiServer implements AutoCloseable {
    public static final int MAX_BODY = 64 * 1024;
    private static final System.Logger LOG = System.getLogger("vmm.api");

    private final Path path;
    private final EventLoopGroup group;
    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
    private final Channel channel;

    private ApiServer(Path path, ApiRoutes routes) {
        this.path = path;
        this.group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            channel = new ServerBootstrap().group(group).channel(EpollServerDomainSocketChannel.class)
                    .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
                        @Override
                        protected void initChannel(EpollDomainSocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new BodyLimit(), new Handler(routes, requests));
                        }
                    }).bind(new DomainSocketAddress(path.toString())).syncUninterruptibly().channel();
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (RuntimeException | IOException e) {
            group.shutdownGracefully();
            throw new ConfigException("api_socket", path + ": cannot listen: " + e.getMessage());
        }
    }

    /** Listens at {@code path}, which must not exist (its directory must). */
    public static ApiServer start(Path path, ApiRoutes routes) {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new ConfigException("api_socket", path + ": exists (another VMM's socket? remove it if none uses it)");
        }
        Path parent = path.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new ConfigException("api_socket", path + ": no directory " + parent);
        }
        return new ApiServer(path, routes);
    }

    public Path path() {
        return path;
    }

    /** Stops listening, closes every connection and removes the socket. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        requests.shutdownNow();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "remove " + path + ": " + e.getMessage());
        }
    }

    /** The aggregator, answering a body beyond the limit with the API's own error shape (413). */
    private static final class BodyLimit extends HttpObjectAggregator {
        BodyLimit() {
            super(MAX_BODY);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            byte[] body = ApiRoutes.json(new ApiRoutes.Response(413, new ApiRoutes.Error("the request body is larger than "
                    + MAX_BODY + " bytes")));
            ctx.writeAndFlush(response(413, body)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ApiRoutes routes;
        private final ExecutorService requests;

        Handler(ApiRoutes routes, ExecutorService requests) {
            this.routes = routes;
            this.requests = requests;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!request.decoderResult().isSuccess()) {
                write(ctx, new ApiRoutes.Response(400, new ApiRoutes.Error("malformed HTTP request")), false);
                return;
            }
            String method = request.method().name();
            String path = new QueryStringDecoder(request.uri()).path();
            byte[] body = new byte[request.content().readableBytes()];
            request.content().readBytes(body);
            requests.execute(() -> write(ctx, routes.handle(method, path, body), keepAlive));
        }

        private static void write(ChannelHandlerContext ctx, ApiRoutes.Response r, boolean keepAlive) {
            FullHttpResponse response = response(r.status(), ApiRoutes.json(r));
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();                   // a client that went away mid-request
        }
    }

    private static FullHttpResponse response(int status, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        if (body.length > 0) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
