/** GIFT used by the tests: every question type and feature, with the file line of each question. */
export const ALL_TYPES = String.raw`// Câu hỏi mẫu cho bài "Wi-Fi và dữ liệu di động"
$CATEGORY: ky-nang-so/wifi

::wifi-1:: Biểu tượng nào cho biết điện thoại đang bắt Wi-Fi? {
  =Hình cái quạt #Đúng. Các vạch cong càng nhiều, sóng càng mạnh.
  ~Chữ 4G #Chưa đúng. 4G là dữ liệu di động.
  ~Hình cái pin #Chưa đúng. Đó là mức pin.
  ####Wi-Fi dùng sóng của bộ phát trong nhà.
}

// Nhiều đáp án: chọn sai bị trừ điểm
::wifi-2:: Những việc nào giúp giữ an toàn cho mạng Wi-Fi nhà bạn? {
  ~%50%Đặt mật khẩu dài #Tốt.
  ~%50%Không cho người lạ mật khẩu
  ~%-100%Dán mật khẩu lên cửa #Ai đi qua cũng đọc được.
  ~Đổi tên mạng thành tên mình
}

::wifi-3:: Mạng Wi-Fi công cộng luôn an toàn để chuyển tiền. {F#Chưa đúng: mạng công cộng có thể bị nghe lén.#Đúng vậy, hãy dùng dữ liệu di động.}

::wifi-4:: Ứng dụng định danh điện tử quốc gia tên là gì? {
  =VNeID #Chính xác.
  =%50%VN*ID #Gần đúng: tên đầy đủ là VNeID.
  =%0%* #Gợi ý: ứng dụng của Bộ Công an.
}

::wifi-5:: Ghép mỗi ứng dụng với việc chính của nó. {
  =Zalo -> Nhắn tin, gọi điện
  =VNeID -> Định danh điện tử
  =Google Maps -> Tìm đường
  = -> Nấu cơm
  ####Mỗi ứng dụng có một việc chính.
}

::wifi-6:: Mật khẩu Wi-Fi WPA2 dài ít nhất bao nhiêu ký tự? {#8}

::wifi-7:: Gói cước 5 GB dùng trong 30 ngày: trung bình mỗi ngày bao nhiêu GB? {#0.1667:0.01#Đúng\: 5 chia 30 được khoảng 0,17.}

::wifi-8:: Nhập một số từ 1 đến 5. {#1..5}

::wifi-9:: Tốc độ 100 Mbps bằng bao nhiêu MB/s? {#
  =12.5:0.1 #Chính xác.
  =%50%100 #Đó là megabit, hãy chia cho 8.
  ~#Gợi ý: 1 byte \= 8 bit.
  ####Nhà mạng ghi tốc độ bằng megabit mỗi giây.
}

::wifi-10:: [markdown]Để kết nối, mở **Cài đặt** rồi chọn {=Wi-Fi =Wifi} trong danh sách.

::wifi-11:: Kể lại một lần bạn dùng Wi-Fi công cộng\nvà điều bạn làm để giữ an toàn. {####Giảng viên sẽ nhận xét.}

Phần tiếp theo nói về dữ liệu di động.

$CATEGORY: ky-nang-so/du-lieu

::du-lieu-1:: [html]<p>Chọn ký hiệu\: dữ liệu di động</p> {
  =[plain]4G hoặc 5G #Đúng
  ~[markdown]**H+** (cũ) #[html]<em>Công nghệ cũ</em>
  ~Biểu tượng \{quạt\} \~ \= \# \\ gạch
}

::du-lieu-2:: Khi hết dung lượng tốc độ cao, mạng sẽ bị {=chậm lại ~nhanh hơn ~ngắt hẳn} cho đến hết chu kỳ.

::du-lieu-3:: Có thể tắt dữ liệu di động trong Cài đặt. {TRUE}

::du-lieu-4:: Câu trả lời ngắn có dấu sao thật\: gõ {=A\\*B} để qua.

::du-lieu-5:: Viết bài ngắn về dữ liệu di động. {}
`;

/** File line (with lineOffset 0) where each question of ALL_TYPES starts. */
export const ALL_TYPES_LINES: Record<string, number> = {
	'wifi-1': 4,
	'wifi-2': 12,
	'wifi-3': 19,
	'wifi-4': 21,
	'wifi-5': 27,
	'wifi-6': 35,
	'wifi-7': 37,
	'wifi-8': 39,
	'wifi-9': 41,
	'wifi-10': 48,
	'wifi-11': 50,
	'du-lieu-1': 56,
	'du-lieu-2': 62,
	'du-lieu-3': 64,
	'du-lieu-4': 66,
	'du-lieu-5': 68
};
