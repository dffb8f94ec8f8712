package io.commguard.gateway.console;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, through Debian's chromedriver (both installed from
 * .ci/test-peers.tsv), with the browser language given. Both paths are given, so Selenium never
 * looks for or downloads a driver; every host name but loopback fails to resolve, so the browser
 * sends nothing off the box (no update checks, no safe-browsing lists).
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** The longest a page may take to show what a test waits for (a loaded box runs eight builds). */
  static final Duration PATIENCE = Duration.ofSeconds(20);

  final ChromeDriver driver;
  final WebDriverWait wait;

  HeadlessChromium(String language) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1280,900", "--lang=" + language, "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--no-pings", "--disable-domain-reliability",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost");
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, PATIENCE, Duration.ofMillis(50));
  }

  /** Forgets the session cookie and the remembered language, as a new visitor. */
  void forget(String origin) {
    driver.get(origin + "/console/favicon.svg");
    driver.manage().deleteAllCookies();
    ((JavascriptExecutor) driver).executeScript("window.localStorage.clear()");
  }

  @Override
  public void close() {
    driver.quit();
  }
}
