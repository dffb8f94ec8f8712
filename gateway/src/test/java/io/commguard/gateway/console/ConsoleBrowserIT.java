package io.commguard.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import io.commguard.gateway.testsupport.PymodbusSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser (Debian's chromium, headless) against the packaged gateway:
 * one gateway and one browser for the class, each test starting as a new visitor. The admin is
 * made on the box with {@code gateway users add}, as an operator does (the viewer through the API,
 * which saves a JVM start); the device connects with a real MQTT client using the password the
 * console showed once.
 */
class ConsoleBrowserIT {
  private static final Path PROFILES = Path.of(System.getProperty("profiles.dir", "../device-profiles"));
  private static final String PROFILE = "generic-nbiot-gas-detector";
  private static final String TOKEN = "console-browser-it-token-0123456789";
  private static final String ADMIN = "li.wei";
  private static final String ADMIN_PASSWORD = "admin-passphrase-4f7c9";
  private static final String VIEWER = "zhang.min";
  private static final String VIEWER_PASSWORD = "viewer-passphrase-8b2e1";

  @TempDir static Path dir;
  private static MosquittoBroker city;
  private static PymodbusSimulator slave;
  private static GatewayProcess gateway;
  private static HeadlessChromium browser;
  private static WebDriver driver;
  private static String origin;
  private static int endpointPort;

  @BeforeAll
  static void start() throws Exception {
    city = MosquittoBroker.start(dir);
    // Unit 1: a gas detector's block at 0x6000 (ready, 27.0 %LEL); unit 3 answers too.
    slave = PymodbusSimulator.tcp(dir, "{\"units\": {\"1\": {\"hr\": {\"0x6000\": [32768, 270, 0, 0, 0, 0, 1]}},"
        + " \"3\": {\"hr\": {\"0\": [7]}}}}", PymodbusSimulator.Framing.TCP);
    endpointPort = FreePort.next();
    int adminPort = FreePort.next();
    origin = "http://127.0.0.1:" + adminPort;
    Path token = Files.writeString(dir.resolve("admin.token"), TOKEN);
    Path config = Files.writeString(dir.resolve("gateway.yaml"), """
        gatewayId: gw-console
        dataDir: '%s'
        profilesDir: '%s'
        deviceEndpoint: {enabled: true, host: 127.0.0.1, port: %d}
        modbusLinks:
          - {id: bus-1, transport: TCP, host: 127.0.0.1, port: %d, timeoutMs: 100}
        devices:
          - {id: gas-config-1, profile: %s, site: {communityCode: '310115001', building: B3}}
          - {id: gas-rs485-1, profile: generic-rs485-gas-0x6000, state: commissioning, modbus: {link: bus-1, unitId: 1}}
        uplink: {brokerUrl: '%s'}
        admin: {enabled: true, port: %d, tokenFile: '%s'}
        """.formatted(dir.resolve("data"), PROFILES, endpointPort, slave.port(), PROFILE, city.url(), adminPort, token));
    addUser(config, ADMIN, "admin", ADMIN_PASSWORD);
    gateway = new GatewayProcess(config).start();
    browser = new HeadlessChromium("zh-CN");
    driver = browser.driver;
    try {
      gateway.awaitReady(Duration.ofSeconds(60));
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + ":\n" + gateway.logText(), e);
    }
    HttpResponse<String> viewer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(origin + "/api/v1/users"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"%s\",\"role\":\"viewer\",\"password\":\"%s\"}"
            .formatted(VIEWER, VIEWER_PASSWORD))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(viewer.statusCode()).as(viewer.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (gateway != null) {
      gateway.stop();
    }
    if (city != null) {
      city.stop();
    }
    if (slave != null) {
      slave.close();
    }
  }

  @Test
  void modbusDevice_testReadShowsItsRegistersBesideTheirFields_andALinkScanListsTheUnitsThatAnswer() {
    signIn(ADMIN, ADMIN_PASSWORD);
    driver.get(origin + "/#/devices/gas-rs485-1");
    browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("test-read"))).click();
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#test-read-registers tbody tr")));
    assertThat(driver.findElement(By.id("test-read-registers")).getText())
        .contains("holding 24577", "0x010E", "270", "concentration", "27.0 %LEL");

    driver.get(origin + "/#/commissioning");
    WebElement last = browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("scan-last")));
    last.clear();
    last.sendKeys("4");
    driver.findElement(By.id("scan-start")).click();
    browser.wait.until(ExpectedConditions.attributeToBe(By.id("scan-progress"), "data-state", "done"));
    assertThat(driver.findElements(By.cssSelector("#scan-table tr[data-unit]"))).extracting(e -> e.getAttribute("data-unit"))
        .containsExactly("1", "3");
    assertThat(driver.findElement(By.cssSelector("#scan-table tr[data-unit='1']")).getText()).contains("gas-rs485-1");
  }

  @Test
  void loginPage_speaksTheBrowsersLanguage_switches_andRemembersTheChoice() {
    browser.forget(origin);
    driver.get(origin + "/");
    waitForText(By.id("login-submit"), "登录");
    assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("zh-CN");

    new Select(driver.findElement(By.id("lang-switch"))).selectByValue("en");
    waitForText(By.id("login-submit"), "Sign in");
    driver.navigate().refresh();
    waitForText(By.id("login-submit"), "Sign in");
    assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
  }

  @Test
  void login_refusesAWrongPasswordInTheServersWords_thenOpensTheDeviceList() {
    browser.forget(origin);
    driver.get(origin + "/");
    fillLogin(ADMIN, "not-the-password");
    browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#login-error .form-error")));
    String error = driver.findElement(By.id("login-error")).getText();
    assertThat(error).isNotBlank().doesNotContain("Exception", "at io.");

    fillLogin(ADMIN, ADMIN_PASSWORD);
    browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("whoami"), ADMIN));
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#device-table tr[data-device-id='gas-config-1']")));
    assertThat(driver.findElement(By.id("device-add")).isDisplayed()).isTrue();
  }

  @Test
  void addedDevice_showsItsPasswordOnce_goesOnlineWithIt_andShowsItsLiveEvent() throws Exception {
    signIn(ADMIN, ADMIN_PASSWORD);
    driver.findElement(By.id("device-add")).click();
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#device-profile option[value='" + PROFILE + "']")));
    driver.findElement(By.id("device-id")).sendKeys("gas-web-1");
    new Select(driver.findElement(By.id("device-profile"))).selectByValue(PROFILE);
    new Select(driver.findElement(By.id("device-state"))).selectByValue("commissioning");
    driver.findElement(By.id("device-site-communityCode")).sendKeys("310115001");
    driver.findElement(By.id("device-site-building")).sendKeys("B3");
    driver.findElement(By.id("device-save")).click();
    String password = browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("generated-password"))).getText();
    assertThat(password).hasSizeGreaterThanOrEqualTo(16);
    assertThat(driver.findElement(By.cssSelector(".secret-panel")).getText()).contains("Shown only once");

    driver.findElement(By.id("device-open")).click();
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#device-detail [data-status='never']")));
    browser.wait.until(ExpectedConditions.attributeToBe(By.id("live-events-state"), "data-state", "open"));
    assertThat(driver.getPageSource()).doesNotContain(password);

    MqttClient device = new MqttClient("tcp://127.0.0.1:" + endpointPort, "gas-web-1", new MemoryPersistence());
    try {
      MqttConnectionOptions options = new MqttConnectionOptions();
      options.setUserName("gas-web-1");
      options.setPassword(password.getBytes(StandardCharsets.UTF_8));
      device.connect(options);
      browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#device-detail [data-status='online']")));

      byte[] alarm = Files.readAllBytes(PROFILES.resolve("generic/nbiot-gas-detector/cases/high-alarm/payload.json"));
      device.publish("devices/gas-web-1/event", new MqttMessage(alarm, 1, false, null));
      browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#live-events tr[data-event-type='GAS_LEAK']")));
      assertThat(driver.findElement(By.cssSelector("#live-events tr[data-event-type='GAS_LEAK']")).getText())
          .contains("concentration", "test");

      driver.get(origin + "/#/commissioning");
      By card = By.cssSelector("#commissioning-list [data-device-id='gas-web-1']");
      browser.wait.until(ExpectedConditions.presenceOfElementLocated(card));
      driver.findElement(card).findElement(By.cssSelector("button[data-action='enable']")).click();
      browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(card));
      driver.get(origin + "/#/devices?state=enabled");
      browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#device-table tr[data-device-id='gas-web-1']")));
    } finally {
      if (device.isConnected()) {
        device.disconnect();
      }
      device.close();
    }
  }

  @Test
  void importDryRun_namesTheBadRowAndColumn_andApplyGivesTheNewPasswords() throws Exception {
    Path csv = Files.writeString(dir.resolve("devices.csv"), """
        id,profile,site,location,state
        gas-imp-1,%s,310115001/G-07/3,3-1 hall,enabled
        gas-imp-2,no-such-profile,310115001/G-07/3,3-2 hall,enabled
        """.formatted(PROFILE));
    signIn(ADMIN, ADMIN_PASSWORD);
    driver.get(origin + "/#/import");
    driver.findElement(By.id("import-file")).sendKeys(csv.toAbsolutePath().toString());
    browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("import-dry-run"))).click();
    By badRow = By.cssSelector("#import-errors tr[data-row='3']");
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(badRow));
    assertThat(driver.findElement(badRow).getText()).contains("profile");
    assertThat(driver.findElements(By.cssSelector("#import-errors tr[data-row]"))).hasSize(1);
    assertThat(driver.findElement(By.id("import-apply")).isEnabled()).as("apply waits for a clean dry run").isFalse();

    Path fixed = Files.writeString(dir.resolve("devices-fixed.csv"), Files.readString(csv).replace("no-such-profile", PROFILE));
    driver.findElement(By.id("import-file")).sendKeys(fixed.toAbsolutePath().toString());
    browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("import-dry-run"))).click();
    browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("import-apply"))).click();
    browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("import-credentials")));
    assertThat(driver.findElement(By.id("import-result")).getText()).contains("2 added");
  }

  @Test
  void maintenanceWindow_isListedOnceOpened_withoutAReload_inEnglishAndChinese_andEndNowRemovesIt() {
    signIn(ADMIN, ADMIN_PASSWORD);
    driver.get(origin + "/#/maintenance");
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("maintenance-table")));
    JavascriptExecutor js = (JavascriptExecutor) driver;
    js.executeScript("window.commguardSamePage = true");

    driver.findElement(By.id("maintenance-target")).sendKeys("gas-config-1");
    driver.findElement(By.id("maintenance-hours")).clear();
    driver.findElement(By.id("maintenance-hours")).sendKeys("1.5");
    driver.findElement(By.id("maintenance-submit")).click();
    By row = By.cssSelector("#maintenance-table tr[data-scope='device:gas-config-1']");
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(row));
    assertThat(js.executeScript("return window.commguardSamePage === true")).as("listed without a reload").isEqualTo(true);
    assertThat(driver.findElement(row).getText()).contains("Device: gas-config-1");
    assertThat(driver.findElement(By.cssSelector("#maintenance-table thead")).getText()).contains("Scope", "Until");
    assertThat(driver.findElement(By.id("maintenance-target")).getAttribute("value")).isEmpty();

    new Select(driver.findElement(By.id("lang-switch"))).selectByValue("zh-CN");
    browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#maintenance-table thead"), "范围"));
    assertThat(driver.findElement(row).getText()).contains("设备: gas-config-1");
    assertThat(driver.findElement(row).findElement(By.cssSelector("button[data-action='end']")).getText()).isEqualTo("立即结束");

    driver.findElement(row).findElement(By.cssSelector("button[data-action='end']")).click();
    browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(row));
    assertThat(driver.findElement(By.id("maintenance-table")).getText()).contains("当前没有维护窗口");
  }

  @Test
  void viewer_seesDevices_butNoControlThatChangesThem() {
    signIn(VIEWER, VIEWER_PASSWORD);
    assertThat(driver.findElements(By.id("device-add"))).isEmpty();
    assertThat(driver.findElements(By.cssSelector("#nav a[data-route='users']")).get(0).isDisplayed()).isFalse();
    assertThat(driver.findElements(By.cssSelector("#nav a[data-route='import']")).get(0).isDisplayed()).isFalse();

    driver.get(origin + "/#/devices/gas-config-1");
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#device-detail dl")));
    assertThat(driver.findElements(By.cssSelector("#device-detail button, #device-edit"))).isEmpty();

    driver.get(origin + "/#/maintenance");
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("maintenance-table")));
    assertThat(driver.findElements(By.id("maintenance-target"))).isEmpty();
  }

  /** As a new visitor in English: the login form, then the device list. */
  private static void signIn(String user, String password) {
    browser.forget(origin);
    driver.get(origin + "/console/favicon.svg");
    ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("window.localStorage.setItem('commguard.lang', 'en')");
    driver.get(origin + "/");
    fillLogin(user, password);
    browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#device-table tbody tr")));
  }

  private static void fillLogin(String user, String password) {
    browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("login-submit")));
    driver.findElement(By.id("login-user")).clear();
    driver.findElement(By.id("login-user")).sendKeys(user);
    driver.findElement(By.id("login-password")).clear();
    driver.findElement(By.id("login-password")).sendKeys(password);
    driver.findElement(By.id("login-submit")).click();
  }

  private static void waitForText(By locator, String text) {
    browser.wait.until(ExpectedConditions.textToBe(locator, text));
  }

  /** {@code gateway users add NAME --role ROLE --config FILE}, the password on stdin. */
  private static void addUser(Path config, String user, String role, String password) throws Exception {
    Process p = new ProcessBuilder(GatewayProcess.javaBinary(), "-jar", GatewayProcess.jar().toString(),
        "users", "add", user, "--role", role, "--config", config.toString())
        .redirectErrorStream(true).start();
    p.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("users add %s: %s", user, output).isZero();
  }
}
