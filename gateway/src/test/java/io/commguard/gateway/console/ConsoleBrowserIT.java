package io.commguard.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.commguard.gateway.testsupport.FreePort;
import io.commguard.gateway.testsupport.GatewayProcess;
import io.commguard.gateway.testsupport.MosquittoBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser (Debian's chromium, headless) against the packaged gateway:
 * one gateway and one browser for the class, each test starting as a new visitor. The users are
 * made on the box with {@code gateway users add}, as an operator does; the device connects with a
 * real MQTT client using the password the console showed once.
 */
class ConsoleBrowserIT {
  private static final Path PROFILES = Path.of(System.getProperty("profiles.dir", "../device-profiles"));
  private static final String TOKEN = "console-browser-it-token-0123456789";

  @TempDir static Path dir;
  private static MosquittoBroker city;
  private static GatewayProcess gateway;
  private static HeadlessChromium browser;
  private static String origin;
  private static int endpointPort;

  @BeforeAll
  static void start() throws Exception {
    city = MosquittoBroker.start(dir);
    endpointPort = FreePort.next();
    int adminPort = FreePort.next();
    origin = "http://127.0.0.1:" + adminPort;
    Path token = Files.writeString(dir.resolve("admin.token"), TOKEN);
    Path config = Files.writeString(dir.resolve("gateway.yaml"), """
        gatewayId: gw-console
        dataDir: '%s'
        profilesDir: '%s'
        deviceEndpoint: {enabled: true, host: 127.0.0.1, port: %d}
        devices:
          - {id: gas-config-1, profile: generic-nbiot-gas-detector, site: {communityCode: '310115001', building: B3}}
        uplink: {brokerUrl: '%s'}
        admin: {enabled: true, port: %d, tokenFile: '%s'}
        """.formatted(dir.resolve("data"), PROFILES, endpointPort, city.url(), adminPort, token));
    gateway = new GatewayProcess(config).start();
    gateway.awaitReady(Duration.ofSeconds(60));
    browser = new HeadlessChromium("zh-CN");
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
  }

  @Test
  void loginPage_speaksTheBrowsersLanguage_switches_andRemembersTheChoice() {
    browser.forget(origin);
    WebDriver driver = browser.driver;
    driver.get(origin + "/");
    waitForText(By.id("login-submit"), "登录");
    assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("zh-CN");

    new Select(driver.findElement(By.id("lang-switch"))).selectByValue("en");
    waitForText(By.id("login-submit"), "Sign in");
    driver.navigate().refresh();
    waitForText(By.id("login-submit"), "Sign in");
    assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
  }

  private static void waitForText(By locator, String text) {
    browser.wait.until(ExpectedConditions.textToBe(locator, text));
  }
}
