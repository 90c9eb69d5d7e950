-- Quicksort of 2,000,000 pseudo-random ints, then a checksum. Same program as quicksort.kiln.
local function sort(a, lo, hi)
  if lo >= hi then return end
  local pivot = a[(lo + hi) // 2]
  local i, j = lo, hi
  while i <= j do
    while a[i] < pivot do i = i + 1 end
    while a[j] > pivot do j = j - 1 end
    if i <= j then
      a[i], a[j] = a[j], a[i]
      i, j = i + 1, j - 1
    end
  end
  sort(a, lo, j)
  sort(a, i, hi)
end

local n = 2000000
local a = {}
local seed = 42
for k = 0, n - 1 do
  seed = (seed * 1103515245 + 12345) % 2147483648
  a[k] = seed % 1000000
end
sort(a, 0, n - 1)
local sum = 0
for k = 0, n - 1 do
  assert(k == 0 or a[k - 1] <= a[k])
  sum = (sum * 31 + a[k]) % 1000000007
end
print(sum)
