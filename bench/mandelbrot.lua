-- Mandelbrot escape times summed over a grid: float arithmetic. Same program as mandelbrot.kiln.
local function escape_time(cr, ci, max)
  local zr, zi, n = 0.0, 0.0, 0
  while n < max and zr * zr + zi * zi <= 4.0 do
    local t = zr * zr - zi * zi + cr
    zi = 2.0 * zr * zi + ci
    zr = t
    n = n + 1
  end
  return n
end

local size = 1000
local total = 0
for y = 0, size - 1 do
  local ci = y * 2.4 / size - 1.2
  for x = 0, size - 1 do
    local cr = x * 3.0 / size - 2.1
    total = total + escape_time(cr, ci, 200)
  end
end
print(total)
