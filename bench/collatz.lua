-- Collatz search: the start below 1,000,000 with the longest chain. Same program as collatz.kiln.
local best, best_start = 0, 0
for start = 1, 999999 do
  local n, steps = start, 0
  while n ~= 1 do
    if n % 2 == 0 then n = n // 2 else n = 3 * n + 1 end
    steps = steps + 1
  end
  if steps > best then best, best_start = steps, start end
end
print(best_start .. " " .. best)
