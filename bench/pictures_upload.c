/*
 * pictures_upload.c — the cost of processing an uploaded photo (issue 12, BENCHMARKS.md
 * "Pictures"): a 12-megapixel JPEG (4000×3000 at quality 90, with EXIF: a gradient under
 * noise, so that it compresses like a photo) goes through upload_process() with the default
 * limits, ROUNDS times after one warm-up round. Two photos: a typical one (light noise, about
 * 4 MB, what a phone's 12-megapixel JPEG weighs) and a hard one (heavy noise, about 7 MB: the
 * decoder's work grows with the bytes). Prints the CPU time per picture (all
 * threads of the process: libvips's writer thread included), the wall time, and the peak
 * resident memory the processing added: each photo is measured in a process of its own,
 * which receives the photo made by another (so no memory freed by the making is there to be
 * reused unseen), and reports its peak (VmHWM) over its resident memory before the first
 * round (the input bytes already in it).
 *
 *   make build/bench/pictures_upload && build/bench/pictures_upload [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vips/vips.h>

#include "pictures/pictures.h"
#include "pictures/upload.h"
#include "util/err.h"

static double seconds(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* A field of /proc/self/status, in kB. */
static long status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t n = strlen(field);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, field, n) && line[n] == ':') kb = strtol(line + n + 1, NULL, 10);
    if (f) fclose(f);
    return kb;
}

static void reset_peak(void)
{
    FILE *c = fopen("/proc/self/clear_refs", "w");
    if (c) {
        fputs("5", c);
        fclose(c);
    }
}

/* A 12-megapixel test photo, as JPEG bytes (the caller g_free()s them). */
static void *photo(double noise_sigma, size_t *len)
{
    VipsImage *noise, *xy, *grad, *sum, *rgb, *bytes, *out;
    if (vips_gaussnoise(&noise, 4000, 3000, "sigma", noise_sigma, "mean", 0.0, NULL) ||
        vips_xyz(&xy, 4000, 3000, NULL))
        return NULL;
    double a[2] = {255.0 / 4000, 255.0 / 3000}, b[2] = {0, 0};
    if (vips_linear(xy, &grad, a, b, 2, NULL) || vips_bandjoin_const1(grad, &rgb, 100, NULL) ||
        vips_add(rgb, noise, &sum, NULL) || vips_cast_uchar(sum, &bytes, NULL) ||
        vips_copy(bytes, &out, "interpretation", VIPS_INTERPRETATION_sRGB, NULL))
        return NULL;
    vips_image_set_string(out, "exif-ifd0-Make", "partyline bench");
    void *jpeg = NULL;
    if (vips_jpegsave_buffer(out, &jpeg, len, "Q", 90, NULL)) return NULL;
    VipsImage *all[] = {noise, xy, grad, sum, rgb, bytes, out};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) g_object_unref(all[i]);
    return jpeg;
}

/* Processes the photo rounds times (after a warm-up) and prints the figures. */
static int measure(const char *name, const void *jpeg, size_t len, int rounds)
{
    upload_limits limits = {16 << 20, 100 << 20, 7680 * 4320};
    double cpu_total = 0, wall_total = 0, cpu_min = 1e9;
    long base = status_kb("VmRSS");
    reset_peak();
    upload u;
    for (int r = -1; r < rounds; r++) { /* round -1 warms up */
        double c0 = seconds(CLOCK_PROCESS_CPUTIME_ID), w0 = seconds(CLOCK_MONOTONIC);
        int rc = upload_process(jpeg, len, &limits, &u);
        double cpu = seconds(CLOCK_PROCESS_CPUTIME_ID) - c0, wall = seconds(CLOCK_MONOTONIC) - w0;
        if (rc) {
            fprintf(stderr, "upload_process: %s (%s)\n", pl_strerror(rc), u.error);
            return 1;
        }
        if (r == rounds - 1)
            printf("%s photo: 4000x3000 JPEG, %zu bytes; kept %dx%d, %zu bytes; preview %dx%d, "
                   "%zu bytes\n",
                   name, len, u.original.width, u.original.height, u.file.len, u.small.width,
                   u.small.height, u.preview.len);
        upload_free(&u);
        if (r < 0) continue;
        cpu_total += cpu;
        wall_total += wall;
        if (cpu < cpu_min) cpu_min = cpu;
    }
    printf("  %d rounds: cpu per picture mean %.1f ms, min %.1f ms; wall mean %.1f ms; peak "
           "memory %.1f MB over the %.1f MB before\n",
           rounds, cpu_total / rounds * 1e3, cpu_min * 1e3, wall_total / rounds * 1e3,
           (status_kb("VmHWM") - base) / 1024.0, base / 1024.0);
    return 0;
}

/* In a process of its own: the photo made by a child, then measured. */
static int measure_photo(const char *name, double sigma, int rounds)
{
    char path[] = "/tmp/pictures_upload-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 1;
    close(fd);
    pid_t maker = fork();
    if (maker == 0) {
        size_t len = 0;
        void *jpeg = photo(sigma, &len);
        FILE *f = jpeg ? fopen(path, "wb") : NULL;
        _exit(f && fwrite(jpeg, 1, len, f) == len && fclose(f) == 0 ? 0 : 1);
    }
    int status = 0;
    if (maker < 0 || waitpid(maker, &status, 0) != maker || status != 0) {
        fprintf(stderr, "cannot make the photo\n");
        unlink(path);
        return 1;
    }
    FILE *f = fopen(path, "rb");
    static char jpeg[16 << 20];
    size_t len = f ? fread(jpeg, 1, sizeof jpeg, f) : 0;
    if (f) fclose(f);
    unlink(path);
    return len ? measure(name, jpeg, len, rounds) : 1;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    if (rounds < 1 || pictures_init(argv[0])) return 1;
    static const struct {
        const char *name;
        double sigma;
    } photos[] = {{"typical", 8}, {"hard", 24}};
    for (size_t i = 0; i < sizeof photos / sizeof photos[0]; i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            int rc = measure_photo(photos[i].name, photos[i].sigma, rounds);
            fflush(stdout);
            _exit(rc);
        }
        int status = 0;
        if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0) return 1;
    }
    return 0;
}
