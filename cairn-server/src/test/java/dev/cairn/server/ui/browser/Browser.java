package dev.cairn.server.ui.browser;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from the system's packages (Debian's {@code chromium} and {@code chromium-driver}), driven by
 * Selenium with both binaries named explicitly, so that Selenium Manager never looks for one to download. Elsewhere
 * {@code CAIRN_TEST_CHROMIUM} and {@code CAIRN_TEST_CHROMEDRIVER} name them.
 *
 * <p>Where they are not installed the browser tests are skipped with a message saying so, except in CI
 * ({@code CI=true}), where a missing browser must fail the build rather than quietly test nothing.
 */
final class Browser {
    static final Path CHROMIUM = binary("CAIRN_TEST_CHROMIUM", "/usr/bin/chromium");
    static final Path CHROMEDRIVER = binary("CAIRN_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");

    private Browser() {}

    private static Path binary(String variable, String debian) {
        String given = System.getenv(variable);
        return Path.of(given == null || given.isBlank() ? debian : given);
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Skips the calling test (or fails it in CI) unless Chromium and ChromeDriver are installed. */
    static void requireInstalled() {
        boolean installed = installed();
        String message = "browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                + " (Debian packages chromium and chromium-driver; .ci/run installs them)";
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + ", and CI=true: not skipping");
        }
        Assumptions.assumeTrue(installed, message + ": skipped");
    }

    /** A new headless browser with a window of {@code width} x {@code height} CSS pixels. */
    static ChromeDriver start(int width, int height) {
        requireInstalled();
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=" + width + "," + height);
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Saves what the browser shows now as {@code docs/screenshots/NAME} of the project, replacing an older one. */
    static void screenshot(ChromeDriver driver, String name) {
        Path target = screenshots().resolve(name);
        try {
            Files.createDirectories(target.getParent());
            Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the screenshot " + target, e);
        }
    }

    /** {@code docs/screenshots} under the project's root: the first directory up from here that holds {@code mvnw}. */
    static Path screenshots() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the project: no mvnw above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("docs").resolve("screenshots");
    }
}
