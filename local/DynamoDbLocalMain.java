import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.InputStream;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Starts DynamoDB Local (1.25.1) bound to 127.0.0.1 only.
 *
 * <p>The stock CLI ({@code java -jar DynamoDBLocal.jar}) listens on every interface and has no
 * option to change that, which would expose an unauthenticated database to the network. This
 * launcher builds the server with the same command-line parser, then narrows the Jetty connectors
 * before they open their sockets. It is run as a single-file source program by
 * {@code local/dynamodb-local.ts}; it takes exactly the stock CLI arguments.
 *
 * <p>Two deliberate differences from {@code ServerRunner.main}: telemetry is never set up (the
 * launcher also sets {@code DDB_LOCAL_TELEMETRY=0}, because in 1.25.1 the
 * {@code -disableTelemetry} flag is parsed but never consulted), and, when the system property
 * {@code dynamoDbLocalMain.exitOnStdinEof=true} is set, the process exits once its stdin closes, so
 * that a parent killed with SIGKILL cannot leave an orphan JVM behind. The property is opt-in
 * because a hand-started server with stdin on /dev/null would otherwise stop at once.
 */
public class DynamoDbLocalMain {
  private static final String HOST = "127.0.0.1";

  public static void main(String[] args) throws Exception {
    // "-port 0" asks for a free port chosen by the OS when the socket binds (no race with another process picking the same
    // port). The stock parser rejects 0, so it gets a placeholder and the connector is set to 0 before it opens.
    boolean ephemeral = false;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("-port") && args[i + 1].equals("0")) {
        args[i + 1] = "8000";
        ephemeral = true;
      }
    }
    DynamoDBProxyServer proxy;
    try {
      proxy = ServerRunner.createServerFromCommandLineArgs(args);
    } catch (Exception e) {
      System.err.println("DynamoDbLocalMain: invalid arguments: " + e);
      System.exit(2);
      return;
    }

    // DynamoDBProxyServer exposes no accessor for its Jetty server; the field name was checked
    // with javap against DynamoDBLocal.jar 1.25.1.
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    Connector[] connectors = jetty.getConnectors();
    if (connectors.length == 0) {
      fail("the Jetty server has no connectors");
    }
    for (Connector connector : connectors) {
      if (!(connector instanceof ServerConnector)) {
        // Refuse rather than silently listen on all interfaces.
        fail("unexpected connector type " + connector.getClass().getName());
      }
      ((ServerConnector) connector).setHost(HOST);
      if (ephemeral) {
        ((ServerConnector) connector).setPort(0);
      }
    }

    // start() swallows a SocketException (e.g. port in use), prints it and stops the server, so
    // success has to be checked explicitly.
    proxy.start();
    if (!jetty.isStarted()) {
      fail("the server did not start (see the message above)");
    }
    int port = ((ServerConnector) connectors[0]).getLocalPort();
    System.out.println("DynamoDbLocalMain listening on http://" + HOST + ":" + port);
    System.out.flush();

    if (Boolean.getBoolean("dynamoDbLocalMain.exitOnStdinEof")) {
      Thread watchdog = new Thread(DynamoDbLocalMain::exitWhenStdinCloses, "stdin-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    }

    jetty.join();
  }

  private static void exitWhenStdinCloses() {
    try {
      InputStream in = System.in;
      byte[] buffer = new byte[256];
      while (in.read(buffer) != -1) {
        // The parent never writes; anything it sends is ignored.
      }
    } catch (Exception ignored) {
      // A broken pipe means the same thing as EOF: the parent is gone.
    }
    // exit, not halt: shutdown hooks let SQLite close a persistent -dbPath database cleanly.
    System.exit(0);
  }

  private static void fail(String message) {
    System.err.println("DynamoDbLocalMain: " + message);
    System.exit(1);
  }
}
