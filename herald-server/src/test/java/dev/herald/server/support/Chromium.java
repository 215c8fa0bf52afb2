package dev.herald.server.support;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's headless Chromium driven by Selenium through Debian's chromedriver, started once and shared by every
 * browser test of the run (starting a browser costs more than most of the tests), quit when the JVM ends.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} ({@code apt-get install chromium
 * chromium-driver}, which {@code .ci/run} does); without them a browser test fails and says so, it never skips.
 */
public final class Chromium {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static WebDriver driver;

    private Chromium() {
    }

    public static synchronized WebDriver driver() {
        if (driver == null) {
            driver = start();
        }
        return driver;
    }

    private static WebDriver start() {
        requireExecutable(CHROMIUM, "chromium");
        requireExecutable(CHROMEDRIVER, "chromium-driver");
        // Selenium only warns that it has no CDP binding for this Chromium version: that is fine here.
        Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
        Path profile;
        try {
            profile = Files.createTempDirectory("herald-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--user-data-dir=" + profile);
        WebDriver started = new ChromeDriver(service, options);
        started.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(15)).scriptTimeout(Duration.ofSeconds(30));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                started.quit();
            } finally {
                service.stop();
                TestServer.deleteRecursively(profile);
            }
        }));
        return started;
    }

    /** Fails (never skips) with what is missing and how to install it. */
    private static void requireExecutable(Path file, String debianPackage) {
        if (!Files.isExecutable(file)) {
            fail(file + " is missing: the browser tests drive Debian's headless Chromium. Install it with "
                    + "`apt-get install chromium chromium-driver` (package " + debianPackage
                    + "; .ci/run installs both when missing).");
        }
    }

    public static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver()).executeScript(script, args);
    }

    /** Waits (bounded) until the condition holds; a missing or replaced element only means "not yet". */
    public static void waitFor(String what, Duration timeout, Supplier<String> state,
                               Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver(), timeout, Duration.ofMillis(50))
                .ignoring(NoSuchElementException.class)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "waiting for " + what + "; " + state.get())
                .until(condition);
    }

    public static void screenshot(Path target) {
        File shot = ((TakesScreenshot) driver()).getScreenshotAs(OutputType.FILE);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
