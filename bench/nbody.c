// N-body: the Sun and the four giant planets under Newtonian gravity, integrated with symplectic
// Euler steps. Double arithmetic over parallel arrays (Kiln has no structs) and a Newton's-method
// square root (Kiln has no math library). Same program as nbody.kiln and nbody.java: the same
// operations in the same order, so the energies agree to the last bit. They are printed as
// integers (energy * 1e15, truncated) because Kiln writes floats as Java's Double.toString does,
// which printf cannot reproduce.
#include <inttypes.h>
#include <stdio.h>

#define N 5

// Each body's position (AU), velocity (AU/day) and mass (solar masses).
static const double BODIES[N][7] = {
    {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0},  // Sun
    {4.841431442464721, -1.1603200440274284, -0.10362204447112311,  // Jupiter
     0.001660076642744037, 0.007699011184197404, -6.90460016972063e-05, 0.0009547919384243266},
    {8.34336671824458, 4.124798564124305, -0.4035234171143214,  // Saturn
     -0.002767425107268624, 0.004998528012349172, 2.3041729757376393e-05, 0.0002858859806661308},
    {12.894369562139131, -15.111151401698631, -0.22330757889265573,  // Uranus
     0.002964601375647616, 0.0023784717395948095, -2.9658956854023756e-05, 4.366244043351563e-05},
    {15.379697114850917, -25.919314609987964, 0.17925877295037118,  // Neptune
     0.0026806777249038932, 0.001628241700382423, -9.515922545197159e-05, 5.1513890204661145e-05},
};

// Newton's method from above the root: the iterates fall monotonically until they stop falling.
static double newton_sqrt(double x) {
  if (x <= 0.0) return 0.0;
  double g = x;
  if (g < 1.0) g = 1.0;
  for (;;) {
    double next = 0.5 * (g + x / g);
    if (next >= g) break;
    g = next;
  }
  return g;
}

// Gives the Sun (body 0) the velocity that makes the system's total momentum zero.
static void offset_momentum(double *vx, double *vy, double *vz, const double *m,
                            double solar_mass) {
  double px = 0.0, py = 0.0, pz = 0.0;
  for (int i = 0; i < N; i++) {
    px += vx[i] * m[i];
    py += vy[i] * m[i];
    pz += vz[i] * m[i];
  }
  vx[0] = -px / solar_mass;
  vy[0] = -py / solar_mass;
  vz[0] = -pz / solar_mass;
}

// Kinetic plus potential energy of the system.
static double energy(const double *x, const double *y, const double *z, const double *vx,
                     const double *vy, const double *vz, const double *m) {
  double e = 0.0;
  for (int i = 0; i < N; i++) {
    e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
    for (int j = i + 1; j < N; j++) {
      double dx = x[i] - x[j];
      double dy = y[i] - y[j];
      double dz = z[i] - z[j];
      e -= m[i] * m[j] / newton_sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

// One time step: update all velocities from the pairwise forces, then all positions.
static void advance(double *x, double *y, double *z, double *vx, double *vy, double *vz,
                    const double *m, double dt) {
  for (int i = 0; i < N; i++) {
    for (int j = i + 1; j < N; j++) {
      double dx = x[i] - x[j];
      double dy = y[i] - y[j];
      double dz = z[i] - z[j];
      double d2 = dx * dx + dy * dy + dz * dz;
      double mag = dt / (d2 * newton_sqrt(d2));
      vx[i] -= dx * m[j] * mag;
      vy[i] -= dy * m[j] * mag;
      vz[i] -= dz * m[j] * mag;
      vx[j] += dx * m[i] * mag;
      vy[j] += dy * m[i] * mag;
      vz[j] += dz * m[i] * mag;
    }
  }
  for (int i = 0; i < N; i++) {
    x[i] += dt * vx[i];
    y[i] += dt * vy[i];
    z[i] += dt * vz[i];
  }
}

int main(void) {
  double solar_mass = 4.0 * 3.141592653589793 * 3.141592653589793;
  double days_per_year = 365.24;
  double x[N], y[N], z[N], vx[N], vy[N], vz[N], m[N];
  for (int i = 0; i < N; i++) {
    x[i] = BODIES[i][0];
    y[i] = BODIES[i][1];
    z[i] = BODIES[i][2];
    vx[i] = BODIES[i][3] * days_per_year;
    vy[i] = BODIES[i][4] * days_per_year;
    vz[i] = BODIES[i][5] * days_per_year;
    m[i] = BODIES[i][6] * solar_mass;
  }
  offset_momentum(vx, vy, vz, m, solar_mass);
  printf("%" PRId64 "\n", (int64_t)(energy(x, y, z, vx, vy, vz, m) * 1e15));
  for (int step = 0; step < 3000000; step++) advance(x, y, z, vx, vy, vz, m, 0.01);
  printf("%" PRId64 "\n", (int64_t)(energy(x, y, z, vx, vy, vz, m) * 1e15));
  return 0;
}
