-- Sieve of Eratosthenes, repeated: array stores and loads in tight loops. Same program as sieve.kiln.
local function sieve(n)
  local composite = {}
  for i = 0, n do composite[i] = 0 end
  local count = 0
  for p = 2, n do
    if composite[p] == 0 then
      count = count + 1
      local m = p * p
      while m <= n do
        composite[m] = 1
        m = m + p
      end
    end
  end
  return count
end

local total = 0
for r = 1, 30 do total = total + sieve(1000000) end
print(total)
