package io.grove.runtime.erasure;

/** Small dense matrices over GF(2^8): products and Gauss-Jordan inversion. */
final class Matrices {
    private Matrices() {
    }

    /**
     * The {@code rows × columns} Vandermonde matrix {@code V[r][c] = r^c}. Any {@code columns} of its rows are
     * linearly independent because the evaluation points {@code 0 … rows-1} are distinct.
     */
    static int[][] vandermonde(int rows, int columns) {
        int[][] v = new int[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                v[r][c] = Gf256.power(r, c);
            }
        }
        return v;
    }

    static int[][] multiply(int[][] a, int[][] b) {
        int n = a.length;
        int inner = b.length;
        int m = b[0].length;
        int[][] product = new int[n][m];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < m; c++) {
                int sum = 0;
                for (int i = 0; i < inner; i++) {
                    sum ^= Gf256.multiply(a[r][i], b[i][c]);
                }
                product[r][c] = sum;
            }
        }
        return product;
    }

    /** The inverse of a square matrix; throws if it is singular (never for rows of an erasure code's matrix). */
    static int[][] invert(int[][] matrix) {
        int n = matrix.length;
        int[][] work = new int[n][2 * n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(matrix[r], 0, work[r], 0, n);
            work[r][n + r] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            while (pivot < n && work[pivot][col] == 0) {
                pivot++;
            }
            if (pivot == n) {
                throw new ArithmeticException("singular matrix");
            }
            int[] swap = work[pivot];
            work[pivot] = work[col];
            work[col] = swap;
            int scale = work[col][col];
            for (int c = 0; c < 2 * n; c++) {
                work[col][c] = Gf256.divide(work[col][c], scale);
            }
            for (int r = 0; r < n; r++) {
                int factor = work[r][col];
                if (r != col && factor != 0) {
                    for (int c = 0; c < 2 * n; c++) {
                        work[r][c] ^= Gf256.multiply(factor, work[col][c]);
                    }
                }
            }
        }
        int[][] inverse = new int[n][n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(work[r], n, inverse[r], 0, n);
        }
        return inverse;
    }
}
