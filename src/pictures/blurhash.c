/*
 * blurhash.c — BlurHash encoding, from the published description of the algorithm.
 *
 * A BlurHash is the first few coefficients of a 2-D cosine transform of the picture in linear
 * light, quantised and written in base 83:
 *   - each component (i, j) is the mean over all pixels of colour × cos(πix/w) × cos(πjy/h),
 *     doubled for every component but the average colour (i = j = 0);
 *   - the average colour (DC) goes back to sRGB and is written as a 24-bit number (4 digits);
 *   - the others (AC) are scaled by their largest magnitude (written once, 1 digit), squashed
 *     by a signed square root, and each channel quantised to 19 levels (2 digits a component);
 *   - the first digit tells the number of components.
 * The separable cosines are tabled once per column and per row, and each pixel's colour is
 * turned to linear light through a 256-entry table: the sums are then plain multiply-adds,
 * in double precision.
 *
 * It never allocates more than the two cosine tables, and never reads outside the rows given.
 */
#include "pictures/blurhash.h"

#include <math.h>
#include <stdlib.h>

static const char digits83[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

/* Writes value in base 83 as exactly n digits, most significant first; returns the end. */
static char *put83(char *p, int value, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = digits83[value % 83];
        value /= 83;
    }
    return p + n;
}

static double srgb_to_linear(int v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static int linear_to_srgb(double v)
{
    if (v < 0) v = 0;
    if (v > 1) v = 1;
    if (v <= 0.0031308) return (int)(v * 12.92 * 255 + 0.5);
    return (int)((1.055 * pow(v, 1 / 2.4) - 0.055) * 255 + 0.5);
}

/* sign(v) × |v|^exp */
static double sign_pow(double v, double exp)
{
    return copysign(pow(fabs(v), exp), v);
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int blurhash_encode(const uint8_t *rgb, int width, int height, size_t stride, int x_components,
                    int y_components, char out[BLURHASH_MAX])
{
    out[0] = '\0';
    if (!rgb || width < 1 || height < 1 || x_components < 1 || x_components > 9 ||
        y_components < 1 || y_components > 9 || stride < (size_t)width * 3)
        return -1;

    double linear[256];
    for (int v = 0; v < 256; v++) linear[v] = srgb_to_linear(v);
    /* cos_x[x * nx + i] = cos(π i x / w), and likewise per row */
    double *cos_x = malloc(sizeof(double) * (size_t)width * x_components);
    double *cos_y = malloc(sizeof(double) * (size_t)height * y_components);
    if (!cos_x || !cos_y) {
        free(cos_x);
        free(cos_y);
        return -1;
    }
    for (int x = 0; x < width; x++)
        for (int i = 0; i < x_components; i++)
            cos_x[x * x_components + i] = cos(M_PI * i * x / width);
    for (int y = 0; y < height; y++)
        for (int j = 0; j < y_components; j++)
            cos_y[y * y_components + j] = cos(M_PI * j * y / height);

    double factors[81][3] = {{0}};
    for (int y = 0; y < height; y++) {
        const uint8_t *row = rgb + (size_t)y * stride;
        /* this row's colours weighted by each column cosine, then by each row cosine */
        double by_i[9][3] = {{0}};
        for (int x = 0; x < width; x++) {
            double r = linear[row[3 * x]], g = linear[row[3 * x + 1]], b = linear[row[3 * x + 2]];
            const double *cx = cos_x + x * x_components;
            for (int i = 0; i < x_components; i++) {
                by_i[i][0] += cx[i] * r;
                by_i[i][1] += cx[i] * g;
                by_i[i][2] += cx[i] * b;
            }
        }
        const double *cy = cos_y + y * y_components;
        for (int j = 0; j < y_components; j++)
            for (int i = 0; i < x_components; i++)
                for (int c = 0; c < 3; c++) factors[j * x_components + i][c] += cy[j] * by_i[i][c];
    }
    free(cos_x);
    free(cos_y);

    int n = x_components * y_components;
    double pixels = (double)width * height;
    for (int k = 0; k < n; k++)
        for (int c = 0; c < 3; c++) factors[k][c] *= (k == 0 ? 1.0 : 2.0) / pixels;

    char *p = put83(out, (x_components - 1) + (y_components - 1) * 9, 1);
    double max_ac = 1;
    if (n > 1) {
        double actual = 0;
        for (int k = 1; k < n; k++)
            for (int c = 0; c < 3; c++)
                if (fabs(factors[k][c]) > actual) actual = fabs(factors[k][c]);
        int quantised = clamp((int)floor(actual * 166 - 0.5), 0, 82);
        max_ac = (quantised + 1) / 166.0;
        p = put83(p, quantised, 1);
    } else {
        p = put83(p, 0, 1);
    }
    int dc = (linear_to_srgb(factors[0][0]) << 16) + (linear_to_srgb(factors[0][1]) << 8) +
             linear_to_srgb(factors[0][2]);
    p = put83(p, dc, 4);
    for (int k = 1; k < n; k++) {
        int q[3];
        for (int c = 0; c < 3; c++)
            q[c] = clamp((int)floor(sign_pow(factors[k][c] / max_ac, 0.5) * 9 + 9.5), 0, 18);
        p = put83(p, q[0] * 19 * 19 + q[1] * 19 + q[2], 2);
    }
    *p = '\0';
    return 0;
}
